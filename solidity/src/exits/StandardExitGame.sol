// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IRootChain} from "../interfaces/IRootChain.sol";
import {BlockController} from "../framework/BlockController.sol";
import {Payouts} from "../vault/Payouts.sol";
import {ExitQueueLib} from "../lib/ExitQueueLib.sol";
import {MerkleLib} from "../lib/MerkleLib.sol";
import {PositionLib} from "../lib/PositionLib.sol";
import {TxLib} from "../lib/TxLib.sol";
import {TxSigLib} from "../lib/TxSigLib.sol";

/// @title StandardExitGame
/// @notice Standard exits: start (verify → save → enqueue), challenge by a signed spend, and
///         processing in per-token priority order with payouts no receiver can block.
///         An exit record is two slots: `owner | exitableAt << 160 | status << 224`, and the
///         amount. The token is implicit in the queue the exit sits in (and in ExitStarted).
///         Processing only zeroes the amount slot (a refund) and leaves the first slot alone:
///         "processed" is an active status with a zero amount (amounts are never zero, the
///         decoder rejects them), which saves a storage write per processed exit.
abstract contract StandardExitGame is BlockController, Payouts {
    using ExitQueueLib for ExitQueueLib.Queue;

    /// @notice The processing bounty exceeds the exit bond.
    error RootChain_BountyExceedsBond(uint256 processBounty, uint256 exitBond);
    /// @notice The minimum exit period is so long that exit times would leave uint64.
    error RootChain_ExitPeriodTooLong(uint256 minExitPeriod);

    /// @notice Exit status: none.
    uint8 internal constant STATUS_NONE = 0;
    /// @notice Exit status: active (in its queue, not challenged).
    uint8 internal constant STATUS_ACTIVE = 1;
    /// @notice Exit status: challenged (its queue entry is skipped when popped).
    uint8 internal constant STATUS_CHALLENGED = 2;
    /// @notice Exit status: processed (paid, or credited to withdrawable). Reported by `exits`
    ///         for an active record whose amount was zeroed; never stored.
    uint8 internal constant STATUS_PROCESSED = 3;

    /// @notice The longest accepted minimum exit period (about 136 years).
    uint256 internal constant MAX_EXIT_PERIOD = type(uint32).max;

    struct ExitRecord {
        uint256 packed; // owner | exitableAt << 160 | status << 224
        uint256 amount; // zeroed once the exit is challenged or processed (gas refund)
    }

    /// @inheritdoc IRootChain
    uint256 public immutable MIN_EXIT_PERIOD;
    /// @inheritdoc IRootChain
    uint256 public immutable EXIT_BOND;
    /// @inheritdoc IRootChain
    uint256 public immutable PROCESS_BOUNTY;

    mapping(uint64 utxoPos => ExitRecord) private _exits;
    mapping(address token => ExitQueueLib.Queue) private _queues;

    /// @param minExitPeriod MIN_EXIT_PERIOD in seconds.
    /// @param exitBond EXIT_BOND in wei.
    /// @param processBounty PROCESS_BOUNTY in wei, at most the bond.
    constructor(uint256 minExitPeriod, uint256 exitBond, uint256 processBounty) {
        if (processBounty > exitBond) revert RootChain_BountyExceedsBond(processBounty, exitBond);
        if (minExitPeriod > MAX_EXIT_PERIOD) revert RootChain_ExitPeriodTooLong(minExitPeriod);
        MIN_EXIT_PERIOD = minExitPeriod;
        EXIT_BOND = exitBond;
        PROCESS_BOUNTY = processBounty;
    }

    // ------------------------------------------------------------------ start

    /// @inheritdoc IRootChain
    function startStandardExit(uint64 utxoPos, bytes calldata txBytes, bytes calldata proof, uint256 blockTimestamp)
        external
        payable
    {
        (address token, uint256 amount, uint64 exitableAt) = _verifyExit(utxoPos, txBytes, proof, blockTimestamp);
        _exits[utxoPos] = ExitRecord(_pack(msg.sender, exitableAt, STATUS_ACTIVE), amount);
        _queues[token].insert((uint256(exitableAt) << 64) | utxoPos);
        emit ExitStarted(utxoPos, msg.sender, token, amount, exitableAt);
    }

    /// @notice Every check of a standard exit; returns the output's token and amount and
    ///         the exit's priority time.
    function _verifyExit(uint64 utxoPos, bytes calldata txBytes, bytes calldata proof, uint256 blockTimestamp)
        private
        view
        returns (address token, uint256 amount, uint64 exitableAt)
    {
        if (msg.value != EXIT_BOND) revert RootChain_BadBond(msg.value, EXIT_BOND);
        if (_exits[utxoPos].packed != 0) revert RootChain_ExitExists(utxoPos);
        uint256 blknum = PositionLib.blknum(utxoPos);
        bytes32 commitment = blocks[blknum];
        if (commitment == 0) revert RootChain_BlockNotFound(blknum);
        bool isDeposit = PositionLib.isDepositBlock(blknum);
        (token, amount) = _exitingOutput(utxoPos, blknum, isDeposit, txBytes);

        // Lessons 1 and 2: the index is bounded and the leaf is salted apart from nodes.
        bytes32 root = MerkleLib.computeRoot(MerkleLib.leafHashCalldata(txBytes), PositionLib.txIndex(utxoPos), proof);
        if (_commitment(root, blockTimestamp) != commitment) revert RootChain_BadInclusion(utxoPos);

        // MoreVP timing; blockTimestamp is the committed one, so it cannot overflow here.
        uint256 at = block.timestamp + MIN_EXIT_PERIOD;
        if (!isDeposit) {
            uint256 matured = blockTimestamp + 2 * MIN_EXIT_PERIOD;
            if (matured > at) at = matured;
        }
        // casting to 'uint64' is safe because `at` ≤ a committed timestamp + 2 · 2^32
        // forge-lint: disable-next-line(unsafe-typecast)
        exitableAt = uint64(at);
    }

    /// @notice Decodes `txBytes` canonically and returns the output at the position's index,
    ///         which must belong to the caller; the type must match the block kind.
    function _exitingOutput(uint64 utxoPos, uint256 blknum, bool isDeposit, bytes calldata txBytes)
        private
        view
        returns (address token, uint256 amount)
    {
        (uint8 txType, uint256 numInputs, uint256 numOutputs) = TxLib.validate(txBytes);
        // Lesson 4: only the type that belongs to the block kind can exit.
        if (txType != (isDeposit ? TxLib.DEPOSIT : TxLib.PAYMENT)) revert RootChain_TxTypeNotExitable(blknum, txType);
        uint256 oindex = PositionLib.oIndex(utxoPos);
        if (oindex >= numOutputs) revert RootChain_OutputNotFound(utxoPos);
        address owner;
        (owner, token, amount) = TxLib.outputAt(txBytes, numInputs, oindex);
        if (owner != msg.sender) revert RootChain_NotOutputOwner(msg.sender, owner);
    }

    // ------------------------------------------------------------------ challenge

    /// @inheritdoc IRootChain
    function challengeStandardExit(
        uint64 utxoPos,
        bytes calldata spendingTx,
        uint8 inputIndex,
        bytes calldata signature,
        address challenger
    ) external nonReentrant {
        if (challenger == address(0)) revert RootChain_ZeroChallenger();
        ExitRecord storage exit_ = _exits[utxoPos];
        uint256 packed = exit_.packed;
        if (_status(packed) != STATUS_ACTIVE || exit_.amount == 0) revert RootChain_ExitNotActive(utxoPos);
        // casting to 'uint160' is safe because the owner sits in the low 160 bits
        // forge-lint: disable-next-line(unsafe-typecast)
        _verifySpend(utxoPos, address(uint160(packed)), spendingTx, inputIndex, signature);

        exit_.packed = _withStatus(packed, STATUS_CHALLENGED);
        exit_.amount = 0;
        emit ExitChallenged(utxoPos, challenger, keccak256(spendingTx), inputIndex);
        // Lesson 7: the bond goes to the named challenger, not to msg.sender.
        _payOrDefer(challenger, address(0), EXIT_BOND);
    }

    /// @notice Checks that `spendingTx` is a canonical payment whose input `inputIndex` is
    ///         `utxoPos`, signed (EIP-712) by `owner`.
    function _verifySpend(
        uint64 utxoPos,
        address owner,
        bytes calldata spendingTx,
        uint8 inputIndex,
        bytes calldata signature
    ) private view {
        (uint8 txType, uint256 numInputs, uint256 numOutputs) = TxLib.validate(spendingTx);
        if (txType != TxLib.PAYMENT) revert RootChain_ChallengeNotPayment(txType);
        if (inputIndex >= numInputs || TxLib.inputAt(spendingTx, inputIndex) != utxoPos) {
            revert RootChain_NotSpendingExit(utxoPos, inputIndex);
        }
        bytes32 digest = _txDigest(TxSigLib.hashStruct(spendingTx, numInputs, numOutputs));
        (address signer, bool ok) = TxSigLib.tryRecover(digest, signature);
        if (!ok) revert RootChain_InvalidSignature();
        if (signer != owner) revert RootChain_BadChallengeSignature(signer, owner);
    }

    // ------------------------------------------------------------------ process

    /// @inheritdoc IRootChain
    function processExits(address token, uint256 maxExits) external nonReentrant returns (uint256 processed) {
        ExitQueueLib.Queue storage queue = _queues[token];
        uint256 paidExits;
        while (processed < maxExits) {
            (uint256 n, uint256 key) = queue.head();
            // Exit times are protocol time (days); miner drift of seconds is irrelevant.
            // forge-lint: disable-next-line(block-timestamp)
            if (n == 0 || key >> 64 > block.timestamp) break;
            queue.pop();
            unchecked {
                // Bounded by maxExits.
                ++processed;
            }
            // casting to 'uint64' is safe because the low 64 bits of a key are the position
            // forge-lint: disable-next-line(unsafe-typecast)
            uint64 utxoPos = uint64(key);
            ExitRecord storage exit_ = _exits[utxoPos];
            uint256 packed = exit_.packed;
            uint256 amount = exit_.amount;
            // Challenged exits were deleted lazily: drop their entry. (A zero amount would be
            // a processed exit; it cannot be queued twice, the check is only defensive.)
            if (_status(packed) != STATUS_ACTIVE || amount == 0) continue;
            exit_.amount = 0; // marks it processed
            unchecked {
                ++paidExits;
            }
            // casting to 'uint160' is safe because the owner sits in the low 160 bits
            // forge-lint: disable-next-line(unsafe-typecast)
            address owner = address(uint160(packed));
            bool paid = _payExit(owner, token, amount);
            emit ExitProcessed(utxoPos, owner, token, amount, paid);
        }
        if (paidExits != 0) _payOrDefer(msg.sender, address(0), PROCESS_BOUNTY * paidExits);
    }

    /// @notice Pays an exit's amount and the bond minus the bounty; ETH exits in one transfer.
    function _payExit(address owner, address token, uint256 amount) private returns (bool paid) {
        uint256 refund = EXIT_BOND - PROCESS_BOUNTY;
        if (token == address(0)) return _payOrDefer(owner, address(0), amount + refund);
        paid = _payOrDefer(owner, token, amount);
        paid = _payOrDefer(owner, address(0), refund) && paid;
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IRootChain
    function exits(uint64 utxoPos)
        external
        view
        returns (address owner, uint64 exitableAt, uint256 amount, uint8 status)
    {
        ExitRecord storage exit_ = _exits[utxoPos];
        uint256 packed = exit_.packed;
        amount = exit_.amount;
        status = _status(packed);
        if (status == STATUS_ACTIVE && amount == 0) status = STATUS_PROCESSED;
        // casting is safe: owner in bits 0-159, exitableAt in bits 160-223
        // forge-lint: disable-next-line(unsafe-typecast)
        return (address(uint160(packed)), uint64(packed >> 160), amount, status);
    }

    /// @inheritdoc IRootChain
    function exitQueueLength(address token) external view returns (uint256) {
        return _queues[token].size();
    }

    /// @inheritdoc IRootChain
    function nextExit(address token) external view returns (uint64 exitableAt, uint64 utxoPos) {
        uint256 key = _queues[token].top();
        // casting is safe: a key is `exitableAt << 64 | utxoPos` below 2^128
        // forge-lint: disable-next-line(unsafe-typecast)
        return (uint64(key >> 64), uint64(key));
    }

    // ------------------------------------------------------------------ internals

    /// @notice The EIP-712 digest of a transaction struct hash under this contract's domain.
    function _txDigest(bytes32 structHash) internal view virtual returns (bytes32);

    function _pack(address owner, uint64 exitableAt, uint8 status) private pure returns (uint256) {
        return uint256(uint160(owner)) | (uint256(exitableAt) << 160) | (uint256(status) << 224);
    }

    function _status(uint256 packed) private pure returns (uint8) {
        // casting to 'uint8' is safe because the status is the top field
        // forge-lint: disable-next-line(unsafe-typecast)
        return uint8(packed >> 224);
    }

    function _withStatus(uint256 packed, uint8 status) private pure returns (uint256) {
        return (packed & ~(uint256(0xff) << 224)) | (uint256(status) << 224);
    }
}
