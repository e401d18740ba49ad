// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IExitGame} from "../../interfaces/IExitGame.sol";
import {PlasmaStorage} from "../../framework/PlasmaStorage.sol";
import {ExitQueueLib} from "../../lib/ExitQueueLib.sol";
import {OutputLib} from "../../lib/OutputLib.sol";
import {PositionLib} from "../../lib/PositionLib.sol";
import {TxLib} from "../../lib/TxLib.sol";
import {TxSigLib} from "../../lib/TxSigLib.sol";
import {VaultLib} from "../../lib/VaultLib.sol";
import {InFlightExitBase} from "./InFlightExitBase.sol";

/// @title InFlightExitGame
/// @notice The in-flight exit game (MoreVP), game id 2: start, piggybacks, settlement of
///         popped queue entries and the views. Its challenges live in a second module,
///         InFlightExitChallenges (CHALLENGES), on the same namespace: one module would
///         exceed the size budget. Both are DELEGATECALLed by the RootChain.
///
///         Verify → record → enqueue: a start verifies the transaction, its inputs' inclusion
///         and signatures and the funds, and records the exit; the first piggyback of each
///         token enqueues it in that token's queue at (exitableAt, youngest input position).
///         Processing settles the piggybacks of the popped token only, against the shared
///         output records (OutputLib), so no output is paid twice across games.
contract InFlightExitGame is InFlightExitBase, IExitGame {
    using ExitQueueLib for ExitQueueLib.Queue;

    /// @notice The InFlightExitChallenges module the RootChain routes the challenges to.
    address public immutable CHALLENGES;

    /// @notice Per-token sums of a transaction's inputs, to check its outputs against.
    struct Funds {
        address[4] tokens;
        uint256[4] sums;
        uint256 count;
        bool party;
    }

    /// @param minExitPeriod MIN_EXIT_PERIOD in seconds.
    /// @param bondGasPrice BOND_GAS_PRICE in wei.
    /// @param challenges The InFlightExitChallenges module, with the same period and price.
    constructor(uint256 minExitPeriod, uint256 bondGasPrice, address challenges)
        InFlightExitBase(minExitPeriod, bondGasPrice)
    {
        if (
            challenges.code.length == 0 || InFlightExitBase(challenges).GAME_ID() != GAME_ID_
                || InFlightExitBase(challenges).MIN_EXIT_PERIOD() != minExitPeriod
                || InFlightExitBase(challenges).BOND_GAS_PRICE() != bondGasPrice
        ) revert InFlightExit_BadChallengesModule(challenges);
        CHALLENGES = challenges;
    }

    // ------------------------------------------------------------------ start

    /// @notice Starts an in-flight exit (IInFlightExitGame.startInFlightExit).
    /// @param a The transaction, its inputs, their proofs and signatures.
    function startInFlightExit(StartArgs calldata a) external payable onlyDelegateCall {
        if (msg.value != IFE_BOND) revert InFlightExit_BadBond(msg.value, IFE_BOND);
        bytes calldata txBytes = a.inFlightTx;
        (uint8 txType, uint256 numInputs, uint256 numOutputs) = TxLib.validate(txBytes);
        if (txType != TxLib.PAYMENT) revert InFlightExit_NotPayment(txType);
        bytes32 exitId = _hash(txBytes);
        Exit storage e = _layout().exits[exitId];
        if (e.bondOwner != address(0)) revert InFlightExit_Exists(exitId);
        _checkLengths(a, numInputs);

        // Inputs: each proven included, each owner's signature, summed per token.
        bytes32 digest = _txDigest(TxSigLib.hashStruct(txBytes, numInputs, numOutputs));
        Funds memory f;
        bytes32[] memory inputIds = new bytes32[](numInputs);
        for (uint256 i; i < numInputs; ++i) {
            inputIds[i] = _recordInput(e, a, i, digest, f);
        }
        // Outputs: no token may come out of nothing.
        for (uint256 j; j < numOutputs; ++j) {
            (address owner, address token, uint256 amount) = TxLib.outputAt(txBytes, numInputs, j);
            if (owner == msg.sender) f.party = true;
            _debit(f, token, amount);
        }
        if (!f.party) revert InFlightExit_NotParty(msg.sender);

        // MoreVP: the youngest input gives the priority and the earliest exit time.
        uint64 youngestPos = TxLib.inputAt(txBytes, numInputs - 1);
        uint64 exitableAt = _exitableAt(a.inputBlockTimestamps[numInputs - 1]);
        e.bondOwner = msg.sender;
        e.nonce = _takeNonce(youngestPos, exitId);
        // casting to 'uint40' is safe because a committed timestamp + 2 · 2^32 fits 40 bits
        // forge-lint: disable-next-line(unsafe-typecast)
        e.exitableAt = uint40(exitableAt);
        e.startedAt = uint40(block.timestamp);
        e.youngestPos = youngestPos;
        // casting to 'uint8' is safe because TxLib.validate bounds both counts by 4
        // forge-lint: disable-next-line(unsafe-typecast)
        (e.numInputs, e.numOutputs) = (uint8(numInputs), uint8(numOutputs));
        _framework().bondsHeld += IFE_BOND;
        emit InFlightExitStarted(exitId, msg.sender, a.inputUtxoPos, inputIds, exitableAt, youngestPos);
    }

    /// @notice Verifies input `i` (`_verifyInput`), credits it to the funds and records its
    ///         position and output id.
    function _recordInput(Exit storage e, StartArgs calldata a, uint256 i, bytes32 digest, Funds memory f)
        private
        returns (bytes32 inputId)
    {
        uint64 pos = TxLib.inputAt(a.inFlightTx, i);
        if (a.inputUtxoPos[i] != pos) revert InFlightExit_InputMismatch(i, a.inputUtxoPos[i], pos);
        (address owner, address token, uint256 amount) = _verifyInput(a, i, pos, digest);
        if (owner == msg.sender) f.party = true;
        _credit(f, token, amount);
        inputId = OutputLib.id(a.inputTxs[i], PositionLib.oIndex(pos));
        e.inputIds[i] = inputId;
        e.inputPositions[i] = pos;
    }

    function _checkLengths(StartArgs calldata a, uint256 n) private pure {
        uint256 bad = a.inputTxs.length != n
            ? a.inputTxs.length
            : a.inputUtxoPos.length != n
                ? a.inputUtxoPos.length
                : a.inputProofs.length != n
                    ? a.inputProofs.length
                    : a.inputBlockTimestamps.length != n
                        ? a.inputBlockTimestamps.length
                        : a.inputSignatures.length != n ? a.inputSignatures.length : n;
        if (bad != n) revert InFlightExit_BadArrayLength(n, bad);
    }

    /// @notice Checks input `i`: its transaction is canonical, of its block's kind, has the
    ///         position's output, is included at the position, and the output's owner signed
    ///         the in-flight tx (`digest`). Returns the output.
    function _verifyInput(StartArgs calldata a, uint256 i, uint64 pos, bytes32 digest)
        private
        view
        returns (address owner, address token, uint256 amount)
    {
        uint256 numInputs = _checkInputTx(a, i, pos);
        (owner, token, amount) = TxLib.outputAt(a.inputTxs[i], numInputs, PositionLib.oIndex(pos));
        (address signer, bool ok) = TxSigLib.tryRecover(digest, a.inputSignatures[i]);
        if (!ok || signer != owner) revert InFlightExit_BadInputSignature(i, signer, owner);
    }

    /// @notice The structural and inclusion checks of input `i`; returns its tx's input count.
    function _checkInputTx(StartArgs calldata a, uint256 i, uint64 pos) private view returns (uint256 numInputs) {
        uint8 txType;
        uint256 numOutputs;
        (txType, numInputs, numOutputs) = TxLib.validate(a.inputTxs[i]);
        if (txType != (PositionLib.isDepositBlock(PositionLib.blknum(pos)) ? TxLib.DEPOSIT : TxLib.PAYMENT)) {
            revert InFlightExit_InputTxTypeNotExitable(i, txType);
        }
        if (PositionLib.oIndex(pos) >= numOutputs) revert InFlightExit_InputOutputNotFound(i, pos);
        if (!_inputIncluded(a, i, pos)) revert InFlightExit_InputNotIncluded(i, pos);
    }

    function _inputIncluded(StartArgs calldata a, uint256 i, uint64 pos) private view returns (bool) {
        return _isIncluded(
            PositionLib.blknum(pos),
            PositionLib.txIndex(pos),
            a.inputTxs[i],
            a.inputProofs[i],
            a.inputBlockTimestamps[i]
        );
    }

    function _credit(Funds memory f, address token, uint256 amount) private pure {
        uint256 n = f.count;
        for (uint256 k; k < n; ++k) {
            if (f.tokens[k] == token) {
                f.sums[k] += amount;
                return;
            }
        }
        f.tokens[n] = token;
        f.sums[n] = amount;
        f.count = n + 1;
    }

    function _debit(Funds memory f, address token, uint256 amount) private pure {
        for (uint256 k; k < f.count; ++k) {
            if (f.tokens[k] == token) {
                if (f.sums[k] < amount) break;
                unchecked {
                    // Checked just above.
                    f.sums[k] -= amount;
                }
                return;
            }
        }
        revert InFlightExit_Inflation(token);
    }

    /// @notice max(youngest input's block + 2 · period, now + period): MoreVP. The timestamp
    ///         is a committed one (its inclusion was checked), so the result fits 40 bits.
    function _exitableAt(uint256 youngestBlockTimestamp) private view returns (uint64) {
        uint256 at = block.timestamp + _minExitPeriod;
        uint256 matured = youngestBlockTimestamp + 2 * _minExitPeriod;
        // casting to 'uint64' is safe because both are a committed timestamp + at most 2 · 2^32
        // forge-lint: disable-next-line(unsafe-typecast)
        return uint64(matured > at ? matured : at);
    }

    /// @notice The first free queue nonce of `youngestPos`, taken for `exitId`. Only the
    ///         youngest input's owner can sign exits with that priority position, so only it
    ///         could make this search long.
    function _takeNonce(uint64 youngestPos, bytes32 exitId) private returns (uint16) {
        mapping(uint256 => bytes32) storage at = _layout().exitIdAt;
        uint256 base = uint256(youngestPos) << 16;
        for (uint256 n; n <= type(uint16).max; ++n) {
            if (at[base | n] == 0) {
                at[base | n] = exitId;
                // casting to 'uint16' is safe because of the loop bound
                // forge-lint: disable-next-line(unsafe-typecast)
                return uint16(n);
            }
        }
        revert InFlightExit_NoncesExhausted(youngestPos);
    }

    // ------------------------------------------------------------------ piggybacks

    /// @notice Piggybacks an input (IInFlightExitGame.piggybackInFlightExitOnInput).
    /// @param exitId The in-flight exit.
    /// @param inputIndex The input.
    /// @param inputTx The transaction that created the input.
    function piggybackInFlightExitOnInput(bytes32 exitId, uint8 inputIndex, bytes calldata inputTx)
        external
        payable
        onlyDelegateCall
    {
        Exit storage e = _checkPiggyback(exitId, inputIndex, false);
        bytes32 inputId = e.inputIds[inputIndex];
        uint256 oindex = PositionLib.oIndex(e.inputPositions[inputIndex]);
        // The bytes hash to the recorded output id, so they are the validated input tx.
        if (OutputLib.id(inputTx, oindex) != inputId) revert InFlightExit_InputTxMismatch(inputIndex);
        _notExited(inputId);
        (address owner, address token, uint256 amount) = TxLib.outputAt(inputTx, _numInputsOf(inputTx), oindex);
        _piggyback(e, inputIndex, owner, token, amount);
        emit InFlightExitPiggybacked(exitId, owner, false, inputIndex, token, amount);
    }

    /// @notice Piggybacks an output (IInFlightExitGame.piggybackInFlightExitOnOutput).
    /// @param inFlightTx The in-flight transaction.
    /// @param outputIndex The output.
    function piggybackInFlightExitOnOutput(bytes calldata inFlightTx, uint8 outputIndex)
        external
        payable
        onlyDelegateCall
    {
        bytes32 exitId = _hash(inFlightTx);
        Exit storage e = _checkPiggyback(exitId, outputIndex, true);
        _notExited(_outputIdOf(exitId, outputIndex));
        (address owner, address token, uint256 amount) = TxLib.outputAt(inFlightTx, e.numInputs, outputIndex);
        _piggyback(e, 4 + uint256(outputIndex), owner, token, amount);
        emit InFlightExitPiggybacked(exitId, owner, true, outputIndex, token, amount);
    }

    /// @notice The checks every piggyback shares: bond, exit, first phase, index, once.
    function _checkPiggyback(bytes32 exitId, uint8 index, bool isOutput) private view returns (Exit storage e) {
        if (msg.value != PIGGYBACK_BOND) revert InFlightExit_BadBond(msg.value, PIGGYBACK_BOND);
        e = _exitOf(exitId);
        _onlyFirstPhase(e, exitId);
        if (index >= (isOutput ? e.numOutputs : e.numInputs)) revert InFlightExit_BadIndex(index);
        // forge-lint: disable-next-line(incorrect-shift): `1 << k` is a bit mask, not a reversed shift
        if (e.everPiggybacked & (1 << (isOutput ? 4 + index : index)) != 0) {
            revert InFlightExit_AlreadyPiggybacked(exitId, isOutput, index);
        }
    }

    function _notExited(bytes32 outputId) private view {
        if (OutputLib.status(_framework().outputs[outputId]) == OutputLib.EXITED) {
            revert InFlightExit_OutputExited(outputId);
        }
    }

    /// @notice Records piggyback `k` (0–3 inputs, 4–7 outputs) and enqueues the exit in the
    ///         token's queue if no earlier piggyback of the exit had that token.
    function _piggyback(Exit storage e, uint256 k, address owner, address token, uint256 amount) private {
        if (owner != msg.sender) revert InFlightExit_NotOwner(msg.sender, owner);
        uint256 ever = e.everPiggybacked;
        bool enqueued;
        for (uint256 m; m < 8; ++m) {
            // forge-lint: disable-next-line(incorrect-shift): `1 << k` is a bit mask, not a reversed shift
            if (ever & (1 << m) != 0 && e.piggybacks[m].token == token) {
                enqueued = true;
                break;
            }
        }
        PlasmaStorage.Layout storage s = _framework();
        if (!enqueued) {
            s.queues[token].insert(ExitQueueLib.key(e.exitableAt, e.youngestPos, GAME_ID_, e.nonce));
            // At most 8 tokens per exit: no overflow.
            ++e.pendingTokens;
        }
        // casting to 'uint8' is safe because k < 8
        // forge-lint: disable-next-line(unsafe-typecast, incorrect-shift)
        uint8 bit = uint8(1 << k);
        e.everPiggybacked |= bit;
        e.piggybacked |= bit;
        Piggyback storage p = e.piggybacks[k];
        p.owner = owner;
        p.token = token;
        if (amount > type(uint96).max) p.bigAmount = amount;
        // casting to 'uint96' is safe because of the branch just above
        // forge-lint: disable-next-line(unsafe-typecast)
        else p.amount = uint96(amount);
        s.bondsHeld += PIGGYBACK_BOND;
    }

    /// @notice The input count of validated transaction bytes (its second byte).
    function _numInputsOf(bytes calldata txBytes) private pure returns (uint256 n) {
        assembly ("memory-safe") {
            n := byte(1, calldataload(txBytes.offset))
        }
    }

    // ------------------------------------------------------------------ process

    /// @inheritdoc IExitGame
    function processExit(address token, uint256 key, uint256 budget)
        external
        onlyDelegateCall
        returns (uint256 spent, uint256 bounty)
    {
        Layout storage l = _layout();
        uint256 ref = (uint256(ExitQueueLib.position(key)) << 16) | (key & 0xffff);
        bytes32 exitId = l.exitIdAt[ref];
        Exit storage e = l.exits[exitId];
        uint256 count;
        (spent, count) = _settleToken(e, exitId, token, budget);
        PlasmaStorage.Layout storage s = _framework();
        if (count != 0) {
            s.bondsHeld -= count * PIGGYBACK_BOND;
            bounty = count * IFE_PROCESS_BOUNTY;
        }
        if (--e.pendingTokens == 0) {
            // The last token: the exit is done; the canonicity share goes to its winner.
            e.flags |= F_FINALIZED;
            delete l.exitIdAt[ref];
            s.bondsHeld -= IFE_BOND;
            address winner = e.bondOwner;
            VaultLib.payOrDefer(s, winner, address(0), CANONICITY_SHARE);
            bounty += IFE_PROCESS_BOUNTY;
            emit InFlightExitFinalized(exitId, winner);
        }
    }

    /// @notice Settles every live piggyback of `token` out of `budget`; returns what was paid
    ///         and how many piggybacks were settled.
    function _settleToken(Exit storage e, bytes32 exitId, address token, uint256 budget)
        private
        returns (uint256 spent, uint256 count)
    {
        bool canonical = _decide(e, exitId);
        uint256 live = e.piggybacked;
        uint256 settled;
        for (uint256 k; k < 8; ++k) {
            // forge-lint: disable-next-line(incorrect-shift): `1 << k` is a bit mask, not a reversed shift
            if (live & (1 << k) == 0 || e.piggybacks[k].token != token) continue;
            spent += _settle(e, exitId, k, token, canonical, budget - spent);
            // forge-lint: disable-next-line(incorrect-shift): `1 << k` is a bit mask, not a reversed shift
            settled |= 1 << k;
            ++count;
        }
        // casting to 'uint8' is safe because `live` was read from a uint8
        // forge-lint: disable-next-line(unsafe-typecast)
        if (settled != 0) e.piggybacked = uint8(live & ~settled);
    }

    /// @notice Canonicity, fixed at the first processed entry of the exit: canonical iff no
    ///         challenge stands and no input was already paid out (an input exited elsewhere
    ///         means the outputs were never funded). A canonical exit consumes all its inputs:
    ///         their records become EXITED, so no standard exit can pay them later.
    function _decide(Exit storage e, bytes32 exitId) private returns (bool canonical) {
        uint8 flags = e.flags;
        if (flags & F_DECIDED != 0) return flags & F_CANONICAL != 0;
        PlasmaStorage.Layout storage s = _framework();
        uint256 n = e.numInputs;
        canonical = flags & F_NON_CANONICAL == 0;
        for (uint256 i; canonical && i < n; ++i) {
            if (OutputLib.status(s.outputs[e.inputIds[i]]) == OutputLib.EXITED) canonical = false;
        }
        if (canonical) {
            for (uint256 i; i < n; ++i) {
                bytes32 id = e.inputIds[i];
                s.outputs[id] = OutputLib.withStatus(s.outputs[id], OutputLib.EXITED);
            }
        }
        e.flags = flags | F_DECIDED | (canonical ? F_CANONICAL : 0);
        emit InFlightExitCanonicityDecided(exitId, canonical);
    }

    /// @notice Settles piggyback `k`: pays its amount (capped by `budget`) when it is an output
    ///         of a canonical exit whose record is NONE or EXITING (a CHALLENGED output was
    ///         shown spent), or an input of a non-canonical exit not yet EXITED, and marks the
    ///         record EXITED; returns the bond less the bounty either way.
    function _settle(Exit storage e, bytes32 exitId, uint256 k, address token, bool canonical, uint256 budget)
        private
        returns (uint256 paid)
    {
        PlasmaStorage.Layout storage s = _framework();
        Piggyback storage p = e.piggybacks[k];
        address owner = p.owner;
        bool isOutput = k >= 4;
        if (isOutput == canonical) {
            bytes32 id = isOutput ? _outputIdOf(exitId, k - 4) : e.inputIds[k];
            uint256 record = s.outputs[id];
            uint8 status = OutputLib.status(record);
            if (isOutput ? status <= OutputLib.EXITING : status != OutputLib.EXITED) {
                if (record == 0) record = uint256(uint160(owner));
                s.outputs[id] = OutputLib.withStatus(record, OutputLib.EXITED);
                uint256 amount = _amountOf(p);
                paid = amount < budget ? amount : budget;
            }
        }
        uint256 refund = 2 * SPENT_CHALLENGER_SHARE;
        bool ok;
        if (token == address(0)) {
            ok = VaultLib.payOrDefer(s, owner, address(0), paid + refund);
        } else {
            ok = VaultLib.payOrDefer(s, owner, token, paid);
            ok = VaultLib.payOrDefer(s, owner, address(0), refund) && ok;
        }
        // casting to 'uint8' is safe because k < 8
        // forge-lint: disable-next-line(unsafe-typecast)
        if (isOutput) emit InFlightExitOutputWithdrawn(exitId, owner, uint8(k - 4), token, paid, !ok);
        // forge-lint: disable-next-line(unsafe-typecast)
        else emit InFlightExitInputWithdrawn(exitId, owner, uint8(k), token, paid, !ok);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IExitGame
    function GAME_ID() external pure override(IExitGame, InFlightExitBase) returns (uint8) {
        return GAME_ID_;
    }

    /// @notice The state of an in-flight exit (IInFlightExitGame.inFlightExit).
    /// @param exitId The in-flight exit.
    function inFlightExit(bytes32 exitId) external view returns (InFlightExitView memory v) {
        Exit storage e = _layout().exits[exitId];
        v.bondOwner = e.bondOwner;
        v.exitableAt = e.exitableAt;
        v.startedAt = e.startedAt;
        v.youngestPos = e.youngestPos;
        v.oldestCompetitorPos = e.oldestCompetitorPos;
        v.canonical = e.flags & F_NON_CANONICAL == 0 && (e.flags & F_DECIDED == 0 || e.flags & F_CANONICAL != 0);
        v.finalized = e.flags & F_FINALIZED != 0;
        v.numInputs = e.numInputs;
        v.numOutputs = e.numOutputs;
        v.piggybacked = e.piggybacked;
        v.everPiggybacked = e.everPiggybacked;
        v.pendingTokens = e.pendingTokens;
        v.nonce = e.nonce;
        v.inputPositions = new uint64[](v.numInputs);
        v.inputIds = new bytes32[](v.numInputs);
        for (uint256 i; i < v.numInputs; ++i) {
            v.inputPositions[i] = e.inputPositions[i];
            v.inputIds[i] = e.inputIds[i];
        }
    }

    /// @notice The data a piggyback recorded (IInFlightExitGame.inFlightExitPiggyback).
    /// @param exitId The in-flight exit.
    /// @param slotIndex 0–3 inputs, 4–7 outputs.
    function inFlightExitPiggyback(bytes32 exitId, uint8 slotIndex)
        external
        view
        returns (address owner, address token, uint256 amount)
    {
        Piggyback storage p = _layout().exits[exitId].piggybacks[slotIndex];
        return (p.owner, p.token, _amountOf(p));
    }
}
