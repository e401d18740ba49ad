// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IExitGameErrors} from "./IExitGameErrors.sol";

/// @title IStandardExitGame
/// @notice Standard exits: an output's owner proves its inclusion and exits it with a bond;
///         anyone who shows a spend signed by the owner challenges the exit and earns part of
///         the bond; unchallenged exits are paid by the framework's `processExits`. Served by
///         the StandardExitGame module through the RootChain (DELEGATECALL).
interface IStandardExitGame is IExitGameErrors {
    // ------------------------------------------------------------------ errors
    /// @notice No block has been committed at this number.
    error RootChain_BlockNotFound(uint256 blknum);
    /// @notice The (root from the proof, timestamp) pair does not match the commitment.
    error RootChain_BadInclusion(uint64 utxoPos);
    /// @notice The output index in the position is beyond the transaction's outputs.
    error RootChain_OutputNotFound(uint64 utxoPos);
    /// @notice Only the output's owner may start its exit.
    error RootChain_NotOutputOwner(address caller, address owner);
    /// @notice The attached ETH is not exactly the exit bond.
    error RootChain_BadBond(uint256 sent, uint256 required);
    /// @notice This output already has, or had, an exit (in any exit game).
    error RootChain_ExitExists(bytes32 exitId);
    /// @notice The transaction type cannot exit from this kind of block.
    error RootChain_TxTypeNotExitable(uint256 blknum, uint8 txType);
    /// @notice There is no active standard exit at this position.
    error RootChain_ExitNotActive(uint64 utxoPos);
    /// @notice The challenging transaction's input at inputIndex is not the exiting output.
    error RootChain_NotSpendingExit(uint64 utxoPos, uint256 inputIndex);
    /// @notice The challenging transaction is not a payment.
    error RootChain_ChallengeNotPayment(uint8 txType);
    /// @notice The spend is not signed by the exit's owner.
    error RootChain_BadChallengeSignature(address recovered, address owner);
    /// @notice The signature is malformed (length, v, high s, or recovers to zero).
    error RootChain_InvalidSignature();
    /// @notice The challenger (bond receiver) is the zero address.
    error RootChain_ZeroChallenger();

    // ------------------------------------------------------------------ events
    /// @notice A standard exit started. `exitId` is the output id
    ///         keccak256(keccak256(txBytes) ‖ uint8 oindex) (docs/SPEC.md).
    event ExitStarted(
        bytes32 indexed exitId,
        uint64 indexed utxoPos,
        address indexed owner,
        address token,
        uint256 amount,
        uint64 exitableAt
    );
    /// @notice An exit was challenged; `challenger` earned the challenger's share of the bond.
    event ExitChallenged(
        bytes32 indexed exitId,
        uint64 indexed utxoPos,
        address indexed challenger,
        bytes32 spendingTxHash,
        uint8 inputIndex
    );
    /// @notice An exit was processed: `paid` of its amount went to the owner (less when
    ///         the token's available funds fell short, zero when another game already paid the
    ///         output); `deferred` when the transfer failed and was credited to `withdrawable`.
    event ExitProcessed(
        bytes32 indexed exitId,
        uint64 indexed utxoPos,
        address indexed owner,
        address token,
        uint256 paid,
        bool deferred
    );

    // ------------------------------------------------------------------ calls
    /// @notice Starts the standard exit of an output the caller owns. Pays EXIT_BOND.
    /// @param utxoPos Position of the output.
    /// @param txBytes The canonical transaction that created the output.
    /// @param proof 16 × 32-byte Merkle proof of the transaction in its block.
    /// @param blockTimestamp The timestamp recorded when the block was committed.
    function startStandardExit(uint64 utxoPos, bytes calldata txBytes, bytes calldata proof, uint256 blockTimestamp)
        external
        payable;

    /// @notice Ends an exit by showing a payment that spends the output, signed by its owner.
    ///         The challenger earns CHALLENGER_SHARE; the rest of the bond is forfeited.
    /// @param utxoPos Position of the exiting output.
    /// @param spendingTx Canonical bytes of the spending payment (need not be in any block).
    /// @param inputIndex Index of the input that spends `utxoPos`.
    /// @param signature 65-byte EIP-712 signature of the exit's owner over `spendingTx`.
    /// @param challenger Receiver of the challenger's share.
    function challengeStandardExit(
        uint64 utxoPos,
        bytes calldata spendingTx,
        uint8 inputIndex,
        bytes calldata signature,
        address challenger
    ) external;

    // ------------------------------------------------------------------ views
    /// @notice The output id under a live standard exit at this position (zero once processed).
    function exitIdAt(uint64 utxoPos) external view returns (bytes32);
    /// @notice The bond of a standard exit: 2 · CHALLENGER_SHARE + PROCESS_BOUNTY.
    function EXIT_BOND() external view returns (uint256);
    /// @notice What a successful challenger earns: CHALLENGE_GAS · BOND_GAS_PRICE.
    function CHALLENGER_SHARE() external view returns (uint256);
    /// @notice What the processor of an exit earns: PROCESS_GAS · BOND_GAS_PRICE.
    function PROCESS_BOUNTY() external view returns (uint256);
    /// @notice The gas price at which bonds repay challenge and processing gas, in wei.
    function BOND_GAS_PRICE() external view returns (uint256);
    /// @notice The minimum exit period, in seconds.
    function MIN_EXIT_PERIOD() external view returns (uint256);
}
