// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IInFlightExitTypes} from "../../interfaces/IInFlightExitGame.sol";
import {TxSigLib} from "../../lib/TxSigLib.sol";
import {ExitGameBase} from "../ExitGameBase.sol";

/// @title InFlightExitBase
/// @notice What the two in-flight exit modules share: the namespace `plasma.exits.inflight`
///         (ERC-7201), the bonds, the phase rule and the signature check. Both modules run
///         only through the RootChain's DELEGATECALL, on the same storage.
///
///         Bonds (docs/CONTRACTS.md, "In-flight exits"), all at BOND_GAS_PRICE:
///         - CANONICITY_SHARE = CANONICITY_GAS · price: repays a canonicity challenge or a
///           response; it goes, when the exit is finalized, to whoever won the canonicity
///           game (the starter when nobody challenged, else the last challenger or responder).
///         - IFE_BOND = CANONICITY_SHARE + IFE_PROCESS_BOUNTY.
///         - SPENT_CHALLENGER_SHARE = SPENT_CHALLENGE_GAS · price: earned by an input-spent or
///           output-spent challenger.
///         - PIGGYBACK_BOND = 2 · SPENT_CHALLENGER_SHARE + IFE_PROCESS_BOUNTY: a challenged
///           piggyback forfeits it all (the challenger gets its share, the rest is surplus),
///           a processed one returns 2 · SPENT_CHALLENGER_SHARE to its owner.
///         - IFE_PROCESS_BOUNTY = IFE_PROCESS_GAS · price: paid to the processor per settled
///           piggyback and per finalized exit.
abstract contract InFlightExitBase is ExitGameBase, IInFlightExitTypes {
    /// @notice Gas of a canonicity challenge, rounded up (the gas test checks it).
    uint256 public constant CANONICITY_GAS = 90_000;
    /// @notice Gas of an input-spent or output-spent challenge, rounded up (checked likewise).
    uint256 public constant SPENT_CHALLENGE_GAS = 90_000;
    /// @notice Gas of settling one piggyback or finalizing one exit, rounded up.
    uint256 public constant IFE_PROCESS_GAS = 70_000;

    /// @notice Game id of in-flight exits in queue keys.
    uint8 internal constant GAME_ID_ = 2;

    // Exit flags (Exit.flags).
    uint8 internal constant F_NON_CANONICAL = 1; // a canonicity challenge stands
    uint8 internal constant F_DECIDED = 2; // processing fixed the canonicity
    uint8 internal constant F_CANONICAL = 4; // ... to canonical
    uint8 internal constant F_FINALIZED = 8; // every queue entry settled; a tombstone

    // Slot 0 of an Exit, for the response's single read and write (layout of `Exit` below).
    uint256 internal constant SLOT0_OWNER_MASK = (1 << 160) - 1;
    uint256 internal constant SLOT0_COMPETITOR_SHIFT = 160;
    uint256 internal constant SLOT0_FLAGS_SHIFT = 224;
    /// @notice Slot 0 less the owner, the competitor position and the non-canonical flag.
    uint256 internal constant SLOT0_KEEP_MASK = (type(uint256).max << 224) ^ (uint256(F_NON_CANONICAL) << 224);

    /// @notice Priority of a competitor not shown to be included: it ranks after every block.
    uint64 internal constant NOT_INCLUDED = type(uint64).max;

    /// @notice Data recorded by a piggyback: the input's or output's owner, token and amount.
    ///         An amount of 2^96 or more is kept in `bigAmount` (and `amount` is zero).
    struct Piggyback {
        address owner;
        uint96 amount;
        address token;
        uint256 bigAmount;
    }

    /// @notice One in-flight exit, keyed by the in-flight tx's hash.
    struct Exit {
        // slot 0: what challenges, responses and piggybacks write
        address bondOwner;
        uint64 oldestCompetitorPos; // 0: none yet
        uint8 flags;
        uint8 piggybacked; // live piggybacks: bits 0-3 inputs, 4-7 outputs
        uint16 nonce;
        // slot 1: fixed at start, but for the piggyback bookkeeping
        uint40 exitableAt;
        uint40 startedAt;
        uint64 youngestPos;
        uint8 numInputs;
        uint8 numOutputs;
        uint8 everPiggybacked; // bits as `piggybacked`, never cleared: one piggyback each
        uint8 pendingTokens; // queue entries not settled yet
        // slot 2
        uint64[4] inputPositions;
        // slots 3-6: output ids of the inputs (OutputLib)
        bytes32[4] inputIds;
        // 0-3 inputs, 4-7 outputs
        Piggyback[8] piggybacks;
    }

    /// @custom:storage-location erc7201:plasma.exits.inflight
    struct Layout {
        /// @notice In-flight exits by id (keccak256 of the in-flight tx); kept as a tombstone
        ///         once finalized, so a transaction exits in flight at most once.
        mapping(bytes32 exitId => Exit) exits;
        /// @notice The exit behind a queue entry: `youngestPos << 16 | nonce` → exit id.
        mapping(uint256 queueRef => bytes32 exitId) exitIdAt;
    }

    /// @dev keccak256(abi.encode(uint256(keccak256("plasma.exits.inflight")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 internal constant LAYOUT_SLOT = 0xc6f22ef5327027f4881681bb2c415554cbf85b399044eb8f731f2bc6cf8c0a00;

    /// @notice CANONICITY_GAS · BOND_GAS_PRICE.
    uint256 public immutable CANONICITY_SHARE;
    /// @notice SPENT_CHALLENGE_GAS · BOND_GAS_PRICE.
    uint256 public immutable SPENT_CHALLENGER_SHARE;
    /// @notice IFE_PROCESS_GAS · BOND_GAS_PRICE.
    uint256 public immutable IFE_PROCESS_BOUNTY;
    /// @notice CANONICITY_SHARE + IFE_PROCESS_BOUNTY.
    uint256 public immutable IFE_BOND;
    /// @notice 2 · SPENT_CHALLENGER_SHARE + IFE_PROCESS_BOUNTY.
    uint256 public immutable PIGGYBACK_BOND;

    /// @param minExitPeriod MIN_EXIT_PERIOD in seconds.
    /// @param bondGasPrice BOND_GAS_PRICE in wei.
    constructor(uint256 minExitPeriod, uint256 bondGasPrice) ExitGameBase(minExitPeriod, bondGasPrice) {
        CANONICITY_SHARE = CANONICITY_GAS * bondGasPrice;
        SPENT_CHALLENGER_SHARE = SPENT_CHALLENGE_GAS * bondGasPrice;
        IFE_PROCESS_BOUNTY = IFE_PROCESS_GAS * bondGasPrice;
        IFE_BOND = CANONICITY_SHARE + IFE_PROCESS_BOUNTY;
        PIGGYBACK_BOND = 2 * SPENT_CHALLENGER_SHARE + IFE_PROCESS_BOUNTY;
    }

    /// @notice The minimum exit period, in seconds.
    function MIN_EXIT_PERIOD() external view returns (uint256) {
        return _minExitPeriod;
    }

    /// @notice The gas price at which bonds repay gas, in wei.
    function BOND_GAS_PRICE() external view returns (uint256) {
        return _bondGasPrice;
    }

    /// @notice The game id of in-flight exits (2).
    function GAME_ID() external pure virtual returns (uint8) {
        return GAME_ID_;
    }

    /// @notice This game's storage.
    function _layout() internal pure returns (Layout storage l) {
        bytes32 slot = LAYOUT_SLOT;
        assembly ("memory-safe") {
            l.slot := slot
        }
    }

    /// @notice A started exit (finalized or not); reverts when there is none.
    function _exitOf(bytes32 exitId) internal view returns (Exit storage e) {
        e = _layout().exits[exitId];
        if (e.bondOwner == address(0)) revert InFlightExit_NotFound(exitId);
    }

    /// @notice Reverts unless the exit is in its first phase: less than half an exit period
    ///         since its start (piggybacks and canonicity challenges).
    function _onlyFirstPhase(Exit storage e, bytes32 exitId) internal view {
        // forge-lint: disable-next-line(block-timestamp)
        if (block.timestamp >= uint256(e.startedAt) + _minExitPeriod / 2) revert InFlightExit_FirstPhaseOver(exitId);
    }

    /// @notice Checks `signature` is `owner`'s EIP-712 signature of validated `txBytes`.
    function _checkSignature(
        bytes calldata txBytes,
        uint256 numInputs,
        uint256 numOutputs,
        bytes calldata signature,
        address owner
    ) internal view {
        (address signer, bool ok) = TxSigLib.tryRecover(
            _txDigest(TxSigLib.hashStruct(txBytes, numInputs, numOutputs)), signature
        );
        if (!ok) revert InFlightExit_InvalidSignature();
        if (signer != owner) revert InFlightExit_BadSignature(signer, owner);
    }

    /// @notice The amount a piggyback recorded.
    function _amountOf(Piggyback storage p) internal view returns (uint256) {
        uint256 a = p.amount;
        return a != 0 ? a : p.bigAmount;
    }

    /// @notice The output id of output `oindex` of the transaction whose hash is `txHash`
    ///         (OutputLib.id without the bytes).
    function _outputIdOf(bytes32 txHash, uint256 oindex) internal pure returns (bytes32 outputId) {
        assembly ("memory-safe") {
            mstore(0x00, txHash)
            mstore8(0x20, oindex)
            outputId := keccak256(0x00, 0x21)
        }
    }

    /// @notice keccak256 of calldata bytes.
    function _hash(bytes calldata b) internal pure returns (bytes32 h) {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            calldatacopy(ptr, b.offset, b.length)
            h := keccak256(ptr, b.length)
        }
    }
}
