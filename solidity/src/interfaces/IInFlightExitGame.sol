// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IExitGameErrors} from "./IExitGameErrors.sol";

/// @title IInFlightExitTypes
/// @notice Errors, events and argument structs of the in-flight exit game (MoreVP), shared by
///         its two modules (InFlightExitGame and InFlightExitChallenges) and by IInFlightExitGame.
interface IInFlightExitTypes is IExitGameErrors {
    // ------------------------------------------------------------------ arguments
    /// @notice Arguments of startInFlightExit (a struct: six arrays would not fit the stack).
    /// @param inFlightTx Canonical bytes of the in-flight PAYMENT.
    /// @param inputTxs For each input, the transaction that created it.
    /// @param inputUtxoPos For each input, its position (must equal the in-flight tx's input).
    /// @param inputProofs For each input, the 512-byte Merkle proof of its transaction.
    /// @param inputBlockTimestamps For each input, the committed timestamp of its block.
    /// @param inputSignatures For each input, its owner's 65-byte EIP-712 signature of inFlightTx.
    struct StartArgs {
        bytes inFlightTx;
        bytes[] inputTxs;
        uint64[] inputUtxoPos;
        bytes[] inputProofs;
        uint256[] inputBlockTimestamps;
        bytes[] inputSignatures;
    }

    /// @notice Arguments of challengeInFlightExitNotCanonical.
    /// @param exitId The in-flight exit (keccak256 of the in-flight tx).
    /// @param inputIndex The in-flight tx's input that the competitor spends too.
    /// @param inputTx The transaction that created that input (gives its owner).
    /// @param competingTx Canonical bytes of the competing PAYMENT.
    /// @param competingInputIndex The competitor's input that is the same position.
    /// @param competingTxPos The competitor's transaction position (oindex 0), or 0 when it
    ///        is not shown to be included (it then ranks last).
    /// @param competingProof Merkle proof of the competitor (ignored when competingTxPos is 0).
    /// @param competingBlockTimestamp Committed timestamp of the competitor's block (idem).
    /// @param competingSignature The input owner's signature of competingTx.
    /// @param challenger Who wins the canonicity share if the exit ends non-canonical.
    struct CanonicityChallenge {
        bytes32 exitId;
        uint8 inputIndex;
        bytes inputTx;
        bytes competingTx;
        uint8 competingInputIndex;
        uint64 competingTxPos;
        bytes competingProof;
        uint256 competingBlockTimestamp;
        bytes competingSignature;
        address challenger;
    }

    /// @notice Arguments of challengeInFlightExitOutputSpent.
    /// @param inFlightTx Canonical bytes of the in-flight tx (its hash is the exit id).
    /// @param inFlightTxPos Position of the in-flight tx (oindex 0) in a block.
    /// @param inFlightTxProof Merkle proof of the in-flight tx at that position.
    /// @param blockTimestamp Committed timestamp of that block.
    /// @param outputIndex The piggybacked output that was spent.
    /// @param spendingTx Canonical bytes of the spending PAYMENT (need not be included).
    /// @param spendingInputIndex The spending tx's input that is the output's position.
    /// @param signature The output owner's signature of spendingTx.
    /// @param challenger Receiver of the challenger's share.
    struct OutputSpentChallenge {
        bytes inFlightTx;
        uint64 inFlightTxPos;
        bytes inFlightTxProof;
        uint256 blockTimestamp;
        uint8 outputIndex;
        bytes spendingTx;
        uint8 spendingInputIndex;
        bytes signature;
        address challenger;
    }

    /// @notice The state of an in-flight exit, as the view returns it.
    struct InFlightExitView {
        address bondOwner;
        uint64 exitableAt;
        uint64 startedAt;
        uint64 youngestPos;
        uint64 oldestCompetitorPos;
        bool canonical;
        bool finalized;
        uint8 numInputs;
        uint8 numOutputs;
        uint8 piggybacked;
        uint8 everPiggybacked;
        uint8 pendingTokens;
        uint16 nonce;
        uint64[] inputPositions;
        bytes32[] inputIds;
    }

    // ------------------------------------------------------------------ errors
    /// @notice The attached ETH is not exactly the bond.
    error InFlightExit_BadBond(uint256 sent, uint256 required);
    /// @notice The in-flight transaction is not a PAYMENT.
    error InFlightExit_NotPayment(uint8 txType);
    /// @notice An in-flight exit of this transaction exists or existed.
    error InFlightExit_Exists(bytes32 exitId);
    /// @notice No in-flight exit has this id.
    error InFlightExit_NotFound(bytes32 exitId);
    /// @notice An argument array does not have one entry per input.
    error InFlightExit_BadArrayLength(uint256 expected, uint256 actual);
    /// @notice The given position is not the in-flight tx's input `index`.
    error InFlightExit_InputMismatch(uint256 index, uint64 given, uint64 expected);
    /// @notice The input transaction's type does not belong to its block's kind.
    error InFlightExit_InputTxTypeNotExitable(uint256 index, uint8 txType);
    /// @notice The input position's output index is beyond its transaction's outputs.
    error InFlightExit_InputOutputNotFound(uint256 index, uint64 pos);
    /// @notice The input transaction is not included at the input's position.
    error InFlightExit_InputNotIncluded(uint256 index, uint64 pos);
    /// @notice Input `index`'s owner did not sign the in-flight transaction.
    error InFlightExit_BadInputSignature(uint256 index, address recovered, address owner);
    /// @notice The outputs of `token` exceed its inputs.
    error InFlightExit_Inflation(address token);
    /// @notice The caller owns none of the transaction's inputs and outputs.
    error InFlightExit_NotParty(address caller);
    /// @notice Every queue nonce of this priority position is taken.
    error InFlightExit_NoncesExhausted(uint64 youngestPos);
    /// @notice The call belongs to the first phase (half an exit period from the start), now over.
    error InFlightExit_FirstPhaseOver(bytes32 exitId);
    /// @notice The input or output index is beyond the transaction's.
    error InFlightExit_BadIndex(uint256 index);
    /// @notice This input or output was piggybacked before.
    error InFlightExit_AlreadyPiggybacked(bytes32 exitId, bool isOutput, uint256 index);
    /// @notice Only the owner of the input or output may piggyback on it.
    error InFlightExit_NotOwner(address caller, address owner);
    /// @notice The given input transaction is not the one the exit recorded for that input.
    error InFlightExit_InputTxMismatch(uint256 index);
    /// @notice The output (or input) was already paid out by an exit.
    error InFlightExit_OutputExited(bytes32 outputId);
    /// @notice The exit's canonicity was already settled by processing.
    error InFlightExit_AlreadyProcessed(bytes32 exitId);
    /// @notice The competing (or spending) transaction is the in-flight transaction itself.
    error InFlightExit_SameTransaction();
    /// @notice The competing or spending transaction is not a PAYMENT.
    error InFlightExit_ChallengeNotPayment(uint8 txType);
    /// @notice The transaction's input at `index` is not the position `pos`.
    error InFlightExit_NotSpending(uint64 pos, uint256 index);
    /// @notice The signature is malformed (length, v, high s, or recovers to zero).
    error InFlightExit_InvalidSignature();
    /// @notice The signature is not the owner's.
    error InFlightExit_BadSignature(address recovered, address owner);
    /// @notice A transaction position with a non-zero output index, or not a valid position.
    error InFlightExit_BadTxPosition(uint64 txPos);
    /// @notice The transaction is not included at the position.
    error InFlightExit_NotIncluded(uint64 txPos);
    /// @notice The competitor is not strictly older than the oldest one known.
    error InFlightExit_CompetitorNotOlder(uint64 competitorPos, uint64 oldestPos);
    /// @notice The exit is canonical: there is no challenge to respond to.
    error InFlightExit_NotChallenged(bytes32 exitId);
    /// @notice The in-flight tx's position is not strictly before the oldest competitor's.
    error InFlightExit_ResponseNotOlder(uint64 txPos, uint64 oldestPos);
    /// @notice The input or output has no live piggyback.
    error InFlightExit_NotPiggybacked(bytes32 exitId, bool isOutput, uint256 index);
    /// @notice The bond receiver is the zero address.
    error InFlightExit_ZeroReceiver();
    /// @notice The in-flight exit module was deployed with a challenges module it cannot use.
    error InFlightExit_BadChallengesModule(address module);

    // ------------------------------------------------------------------ events
    /// @notice An in-flight exit started. Its id is keccak256(inFlightTx); the transaction
    ///         itself is in the calldata once, for watchers that need its outputs.
    event InFlightExitStarted(
        bytes32 indexed exitId,
        address indexed starter,
        uint64[] inputUtxoPos,
        bytes32[] inputIds,
        uint64 exitableAt,
        uint64 youngestPos
    );
    /// @notice An owner piggybacked an input (isOutput false) or output of an in-flight exit.
    event InFlightExitPiggybacked(
        bytes32 indexed exitId, address indexed owner, bool isOutput, uint8 index, address token, uint256 amount
    );
    /// @notice A canonicity challenge made the exit non-canonical; the competitor ranks at
    ///         `competitorPos` (type(uint64).max when not shown included).
    event InFlightExitChallenged(
        bytes32 indexed exitId, address indexed challenger, bytes32 competingTxHash, uint64 competitorPos
    );
    /// @notice A response proved the in-flight tx included at `txPos`, before every competitor.
    event InFlightExitChallengeResponded(bytes32 indexed exitId, address indexed responder, uint64 txPos);
    /// @notice An input piggyback was removed: the input was spent by another transaction.
    event InFlightExitInputBlocked(bytes32 indexed exitId, address indexed challenger, uint8 index);
    /// @notice An output piggyback was removed: the output was spent.
    event InFlightExitOutputBlocked(bytes32 indexed exitId, address indexed challenger, uint8 index);
    /// @notice A piggybacked output was settled: `paid` of the token went to its owner (zero
    ///         when the exit is non-canonical or the output was paid elsewhere), with its bond
    ///         refund; `deferred` when a transfer failed and was credited to `withdrawable`.
    event InFlightExitOutputWithdrawn(
        bytes32 indexed exitId, address indexed owner, uint8 index, address token, uint256 paid, bool deferred
    );
    /// @notice A piggybacked input was settled (paid only when the exit is non-canonical).
    event InFlightExitInputWithdrawn(
        bytes32 indexed exitId, address indexed owner, uint8 index, address token, uint256 paid, bool deferred
    );
    /// @notice Processing decided the exit's canonicity (once, at its first queue entry);
    ///         a canonical exit marked all its inputs exited.
    event InFlightExitCanonicityDecided(bytes32 indexed exitId, bool canonical);
    /// @notice The last queue entry of the exit was settled; `bondOwner` got the canonicity share.
    event InFlightExitFinalized(bytes32 indexed exitId, address indexed bondOwner);
}

/// @title IInFlightExitGame
/// @notice In-flight exits (MoreVP): an exit of a PAYMENT whose inclusion is unknown or
///         contested. Any party starts it with a bond; owners piggyback the inputs and outputs
///         they want paid; a canonical transaction pays its piggybacked outputs, a
///         non-canonical one its piggybacked inputs. Served through the RootChain
///         (DELEGATECALL) by the InFlightExitGame module (game id 2; start, piggybacks,
///         processing, views) and the InFlightExitChallenges module (challenges, response).
///         docs/CONTRACTS.md ("In-flight exits") has every rule and its reason.
interface IInFlightExitGame is IInFlightExitTypes {
    // ------------------------------------------------------------------ calls
    /// @notice Starts an in-flight exit of `a.inFlightTx`. Pays IFE_BOND. The caller must own
    ///         an input or an output of it; every input must be proven included and must
    ///         have signed it; no token's outputs may exceed its inputs.
    /// @param a The transaction, its inputs, their proofs and signatures (StartArgs).
    function startInFlightExit(StartArgs calldata a) external payable;

    /// @notice Piggybacks input `inputIndex` of an in-flight exit (its owner only, in the
    ///         first phase). Pays PIGGYBACK_BOND. The first piggyback of a token enqueues the
    ///         exit in that token's queue.
    /// @param exitId The in-flight exit.
    /// @param inputIndex The input.
    /// @param inputTx The transaction that created the input (its output gives owner, token, amount).
    function piggybackInFlightExitOnInput(bytes32 exitId, uint8 inputIndex, bytes calldata inputTx) external payable;

    /// @notice Piggybacks output `outputIndex` of an in-flight exit (its owner only, in the
    ///         first phase). Pays PIGGYBACK_BOND.
    /// @param inFlightTx The in-flight transaction (its hash is the exit id).
    /// @param outputIndex The output.
    function piggybackInFlightExitOnOutput(bytes calldata inFlightTx, uint8 outputIndex) external payable;

    /// @notice Shows a competing PAYMENT that spends one of the exit's inputs, signed by the
    ///         input's owner (first phase only). Makes the exit non-canonical and names the
    ///         challenger owner of the canonicity share; a later competitor than the oldest
    ///         known is refused.
    /// @param c The challenge (CanonicityChallenge).
    function challengeInFlightExitNotCanonical(CanonicityChallenge calldata c) external;

    /// @notice Proves the in-flight tx included at `inFlightTxPos`, strictly before the
    ///         oldest competitor: the exit is canonical again and the caller owns the
    ///         canonicity share. Allowed until the exit is processed.
    /// @param inFlightTx The in-flight transaction.
    /// @param inFlightTxPos Its position (oindex 0).
    /// @param proof Its Merkle proof.
    /// @param blockTimestamp The committed timestamp of its block.
    function respondToNonCanonicalChallenge(
        bytes calldata inFlightTx,
        uint64 inFlightTxPos,
        bytes calldata proof,
        uint256 blockTimestamp
    ) external;

    /// @notice Removes an input piggyback by showing another transaction that spends the
    ///         input, signed by its owner. The challenger earns SPENT_CHALLENGER_SHARE.
    /// @param exitId The in-flight exit.
    /// @param inputIndex The piggybacked input.
    /// @param spendingTx The spending PAYMENT (not the in-flight tx; need not be included).
    /// @param spendingInputIndex The spending tx's input that is the same position.
    /// @param signature The input owner's signature of spendingTx.
    /// @param challenger Receiver of the challenger's share.
    function challengeInFlightExitInputSpent(
        bytes32 exitId,
        uint8 inputIndex,
        bytes calldata spendingTx,
        uint8 spendingInputIndex,
        bytes calldata signature,
        address challenger
    ) external;

    /// @notice Removes an output piggyback by proving the in-flight tx included and showing a
    ///         transaction that spends the output, signed by its owner. The challenger earns
    ///         SPENT_CHALLENGER_SHARE.
    /// @param c The challenge (OutputSpentChallenge).
    function challengeInFlightExitOutputSpent(OutputSpentChallenge calldata c) external;

    // ------------------------------------------------------------------ views
    /// @notice The state of an in-flight exit (all zero when none).
    function inFlightExit(bytes32 exitId) external view returns (InFlightExitView memory);
    /// @notice The owner, token and amount recorded by a piggyback (index 0–3 inputs, 4–7 outputs).
    function inFlightExitPiggyback(bytes32 exitId, uint8 slotIndex)
        external
        view
        returns (address owner, address token, uint256 amount);
    /// @notice The bond of an in-flight exit: CANONICITY_SHARE + IFE_PROCESS_BOUNTY.
    function IFE_BOND() external view returns (uint256);
    /// @notice The bond of a piggyback: 2 · SPENT_CHALLENGER_SHARE + IFE_PROCESS_BOUNTY.
    function PIGGYBACK_BOND() external view returns (uint256);
    /// @notice What the winner of the canonicity game earns: CANONICITY_GAS · BOND_GAS_PRICE.
    function CANONICITY_SHARE() external view returns (uint256);
    /// @notice What an input-spent or output-spent challenger earns: SPENT_CHALLENGE_GAS · BOND_GAS_PRICE.
    function SPENT_CHALLENGER_SHARE() external view returns (uint256);
    /// @notice What the processor earns per settled piggyback and per finalized exit.
    function IFE_PROCESS_BOUNTY() external view returns (uint256);
}
