// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OutputLib} from "../../lib/OutputLib.sol";
import {PositionLib} from "../../lib/PositionLib.sol";
import {TxLib} from "../../lib/TxLib.sol";
import {VaultLib} from "../../lib/VaultLib.sol";
import {InFlightExitBase} from "./InFlightExitBase.sol";

/// @title InFlightExitChallenges
/// @notice The challenges of the in-flight exit game, a second module on the game's namespace
///         (InFlightExitGame holds start, piggybacks and processing): the canonicity
///         challenge and its response, and the input-spent and output-spent challenges.
///         DELEGATECALLed by the RootChain like every exit-game module.
contract InFlightExitChallenges is InFlightExitBase {
    /// @param minExitPeriod MIN_EXIT_PERIOD in seconds.
    /// @param bondGasPrice BOND_GAS_PRICE in wei.
    constructor(uint256 minExitPeriod, uint256 bondGasPrice) InFlightExitBase(minExitPeriod, bondGasPrice) {}

    // ------------------------------------------------------------------ canonicity

    /// @notice Shows a competitor of the in-flight tx (IInFlightExitGame.challengeInFlightExitNotCanonical).
    /// @param c The challenge.
    function challengeInFlightExitNotCanonical(CanonicityChallenge calldata c) external onlyDelegateCall {
        if (c.challenger == address(0)) revert InFlightExit_ZeroReceiver();
        Exit storage e = _exitOf(c.exitId);
        // First phase only: the exit's parties then have the rest of the period to respond.
        _onlyFirstPhase(e, c.exitId);
        uint256 i = c.inputIndex;
        if (i >= e.numInputs) revert InFlightExit_BadIndex(i);
        uint64 pos = e.inputPositions[i];
        address owner = _inputOwner(e, i, pos, c.inputTx);

        bytes calldata competingTx = c.competingTx;
        if (_hash(competingTx) == c.exitId) revert InFlightExit_SameTransaction();
        _checkSpend(competingTx, c.competingInputIndex, pos, c.competingSignature, owner);

        // A competitor not shown included ranks after every block.
        uint64 rank = NOT_INCLUDED;
        if (c.competingTxPos != 0) {
            _includedAt(competingTx, c.competingTxPos, c.competingProof, c.competingBlockTimestamp);
            rank = c.competingTxPos;
        }
        // Only a competitor older than every one known (or than the response) changes anything.
        uint64 oldest = e.oldestCompetitorPos;
        if (oldest != 0 && rank >= oldest) revert InFlightExit_CompetitorNotOlder(rank, oldest);
        e.oldestCompetitorPos = rank;
        e.flags |= F_NON_CANONICAL;
        e.bondOwner = c.challenger;
        emit InFlightExitChallenged(c.exitId, c.challenger, _hash(competingTx), rank);
    }

    /// @notice Proves the in-flight tx older than every competitor
    ///         (IInFlightExitGame.respondToNonCanonicalChallenge). The caller owns the
    ///         canonicity share if the exit ends canonical.
    /// @param inFlightTx The in-flight transaction.
    /// @param inFlightTxPos Its position (oindex 0).
    /// @param proof Its Merkle proof.
    /// @param blockTimestamp The committed timestamp of its block.
    function respondToNonCanonicalChallenge(
        bytes calldata inFlightTx,
        uint64 inFlightTxPos,
        bytes calldata proof,
        uint256 blockTimestamp
    ) external onlyDelegateCall {
        // One copy of the bytes gives both the inclusion's leaf and the exit id.
        bytes32 exitId = _includedAt(inFlightTx, inFlightTxPos, proof, blockTimestamp);
        // The response has the tightest gas budget of the game: its whole state is slot 0 of
        // the exit (bond owner, oldest competitor, flags), read and written once here.
        Exit storage e = _layout().exits[exitId];
        uint256 word;
        assembly ("memory-safe") {
            word := sload(e.slot)
        }
        if (word & SLOT0_OWNER_MASK == 0) revert InFlightExit_NotFound(exitId);
        uint256 flags = (word >> SLOT0_FLAGS_SHIFT) & 0xff;
        if (flags & F_DECIDED != 0) revert InFlightExit_AlreadyProcessed(exitId);
        if (flags & F_NON_CANONICAL == 0) revert InFlightExit_NotChallenged(exitId);
        // casting to 'uint64' is safe because it keeps exactly the field's 64 bits
        // forge-lint: disable-next-line(unsafe-typecast)
        uint64 oldest = uint64(word >> SLOT0_COMPETITOR_SHIFT);
        if (inFlightTxPos >= oldest) revert InFlightExit_ResponseNotOlder(inFlightTxPos, oldest);
        // New owner and competitor position; the non-canonical flag cleared; the rest kept.
        word = (word & SLOT0_KEEP_MASK) | (uint256(inFlightTxPos) << SLOT0_COMPETITOR_SHIFT)
            | uint256(uint160(msg.sender));
        assembly ("memory-safe") {
            sstore(e.slot, word)
        }
        emit InFlightExitChallengeResponded(exitId, msg.sender, inFlightTxPos);
    }

    // ------------------------------------------------------------------ spent piggybacks

    /// @notice Removes a spent input's piggyback (IInFlightExitGame.challengeInFlightExitInputSpent).
    /// @param exitId The in-flight exit.
    /// @param inputIndex The piggybacked input.
    /// @param spendingTx The spending PAYMENT.
    /// @param spendingInputIndex Its input that is the same position.
    /// @param signature The input owner's signature of spendingTx.
    /// @param challenger Receiver of the challenger's share.
    function challengeInFlightExitInputSpent(
        bytes32 exitId,
        uint8 inputIndex,
        bytes calldata spendingTx,
        uint8 spendingInputIndex,
        bytes calldata signature,
        address challenger
    ) external onlyDelegateCall nonReentrant {
        if (challenger == address(0)) revert InFlightExit_ZeroReceiver();
        Exit storage e = _exitOf(exitId);
        uint256 bit = _livePiggyback(e, exitId, inputIndex, false);
        // The in-flight tx itself spends the input: only another spend counts.
        if (_hash(spendingTx) == exitId) revert InFlightExit_SameTransaction();
        _checkInputSpend(e, inputIndex, spendingTx, spendingInputIndex, signature);
        _block(e, bit);
        emit InFlightExitInputBlocked(exitId, challenger, inputIndex);
        VaultLib.payOrDefer(_framework(), challenger, address(0), SPENT_CHALLENGER_SHARE);
    }

    /// @notice Removes a spent output's piggyback (IInFlightExitGame.challengeInFlightExitOutputSpent).
    /// @param c The challenge.
    function challengeInFlightExitOutputSpent(OutputSpentChallenge calldata c) external onlyDelegateCall nonReentrant {
        if (c.challenger == address(0)) revert InFlightExit_ZeroReceiver();
        bytes32 exitId = _hash(c.inFlightTx);
        Exit storage e = _exitOf(exitId);
        uint256 bit = _livePiggyback(e, exitId, c.outputIndex, true);
        // The output's position exists only once the in-flight tx is included.
        _includedAt(c.inFlightTx, c.inFlightTxPos, c.inFlightTxProof, c.blockTimestamp);
        uint64 outputPos = c.inFlightTxPos + c.outputIndex;
        _checkSpend(c.spendingTx, c.spendingInputIndex, outputPos, c.signature, e.piggybacks[4 + c.outputIndex].owner);
        _block(e, bit);
        emit InFlightExitOutputBlocked(exitId, c.challenger, c.outputIndex);
        VaultLib.payOrDefer(_framework(), c.challenger, address(0), SPENT_CHALLENGER_SHARE);
    }

    // ------------------------------------------------------------------ helpers

    /// @notice The owner of input `i`, read from its transaction, which must hash to the
    ///         output id recorded at the start (so it is the validated one).
    function _inputOwner(Exit storage e, uint256 i, uint64 pos, bytes calldata inputTx)
        private
        view
        returns (address owner)
    {
        uint256 oindex = PositionLib.oIndex(pos);
        if (OutputLib.id(inputTx, oindex) != e.inputIds[i]) revert InFlightExit_InputTxMismatch(i);
        uint256 numInputs;
        assembly ("memory-safe") {
            numInputs := byte(1, calldataload(inputTx.offset))
        }
        (owner,,) = TxLib.outputAt(inputTx, numInputs, oindex);
    }

    /// @notice Checks `spendingTx` spends input `inputIndex`, signed by its piggybacker.
    function _checkInputSpend(
        Exit storage e,
        uint8 inputIndex,
        bytes calldata spendingTx,
        uint8 spendingInputIndex,
        bytes calldata signature
    ) private view {
        uint64 pos = e.inputPositions[inputIndex];
        address owner = e.piggybacks[inputIndex].owner;
        _checkSpend(spendingTx, spendingInputIndex, pos, signature, owner);
    }

    /// @notice Checks `txBytes` is a canonical PAYMENT whose input `index` is `pos`, signed by `owner`.
    function _checkSpend(bytes calldata txBytes, uint8 index, uint64 pos, bytes calldata signature, address owner)
        private
        view
    {
        (uint8 txType, uint256 numInputs, uint256 numOutputs) = TxLib.validate(txBytes);
        if (txType != TxLib.PAYMENT) revert InFlightExit_ChallengeNotPayment(txType);
        if (index >= numInputs || TxLib.inputAt(txBytes, index) != pos) revert InFlightExit_NotSpending(pos, index);
        _checkSignature(txBytes, numInputs, numOutputs, signature, owner);
    }

    /// @notice Checks `txBytes` is included at transaction position `txPos` (oindex 0) and
    ///         returns keccak256(txBytes), both hashed from one copy of the bytes.
    function _includedAt(bytes calldata txBytes, uint64 txPos, bytes calldata proof, uint256 blockTimestamp)
        private
        view
        returns (bytes32 txHash)
    {
        uint256 blknum;
        uint256 txIndex;
        unchecked {
            // Divisions and a remainder of a uint64: nothing can overflow.
            blknum = txPos / PositionLib.BLOCK_OFFSET;
            txIndex = (txPos / PositionLib.TX_OFFSET) % (PositionLib.BLOCK_OFFSET / PositionLib.TX_OFFSET);
            if (txPos % PositionLib.TX_OFFSET != 0 || blknum == 0 || txIndex >= PositionLib.MAX_TXS) {
                revert InFlightExit_BadTxPosition(txPos);
            }
        }
        bytes32 leaf;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore8(ptr, 0)
            calldatacopy(add(ptr, 1), txBytes.offset, txBytes.length)
            leaf := keccak256(ptr, add(txBytes.length, 1))
            txHash := keccak256(add(ptr, 1), txBytes.length)
        }
        if (!_isLeafIncluded(blknum, txIndex, leaf, proof, blockTimestamp)) revert InFlightExit_NotIncluded(txPos);
    }

    /// @notice The bit of a live piggyback; reverts when there is none.
    function _livePiggyback(Exit storage e, bytes32 exitId, uint8 index, bool isOutput)
        private
        view
        returns (uint256 bit)
    {
        // forge-lint: disable-next-line(incorrect-shift): `1 << k` is a bit mask, not a reversed shift
        bit = index < 4 ? 1 << (isOutput ? 4 + index : index) : 0;
        if (e.piggybacked & bit == 0) revert InFlightExit_NotPiggybacked(exitId, isOutput, index);
    }

    /// @notice Removes a piggyback: its whole bond leaves bondsHeld (the challenger's share is
    ///         paid by the caller, the rest stays as surplus).
    function _block(Exit storage e, uint256 bit) private {
        // casting to 'uint8' is safe because bit < 256
        // forge-lint: disable-next-line(unsafe-typecast)
        e.piggybacked &= ~uint8(bit);
        _framework().bondsHeld -= PIGGYBACK_BOND;
    }
}
