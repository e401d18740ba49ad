// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IExitGame} from "../interfaces/IExitGame.sol";
import {IStandardExitGame} from "../interfaces/IStandardExitGame.sol";
import {PlasmaStorage} from "../framework/PlasmaStorage.sol";
import {ExitQueueLib} from "../lib/ExitQueueLib.sol";
import {OutputLib} from "../lib/OutputLib.sol";
import {PositionLib} from "../lib/PositionLib.sol";
import {TxLib} from "../lib/TxLib.sol";
import {TxSigLib} from "../lib/TxSigLib.sol";
import {VaultLib} from "../lib/VaultLib.sol";
import {ExitGameBase} from "./ExitGameBase.sol";

/// @title StandardExitGame
/// @notice The standard exit game, a module the RootChain DELEGATECALLs (game id 1): start
///         (verify → record → enqueue), challenge by a signed spend, and settlement of popped
///         queue entries. An exit is the output's record in the framework (OutputLib: owner,
///         amount, status) plus `exitAt[utxoPos] → outputId` in this game's namespace, which
///         processing deletes (a gas refund).
///
///         Bond (docs/CONTRACTS.md): EXIT_BOND = 2 · CHALLENGER_SHARE + PROCESS_BOUNTY, where
///         CHALLENGER_SHARE = CHALLENGE_GAS · BOND_GAS_PRICE repays a challenge's gas, and
///         PROCESS_BOUNTY = PROCESS_GAS · BOND_GAS_PRICE repays processing. A challenged exit
///         forfeits the whole bond: the challenger gets its share, the rest stays in the
///         contract as ETH surplus, so an author who challenges its own exit still loses
///         at least CHALLENGER_SHARE.
contract StandardExitGame is ExitGameBase, IExitGame, IStandardExitGame {
    using ExitQueueLib for ExitQueueLib.Queue;

    /// @notice The game id of standard exits in queue keys.
    uint8 private constant STANDARD_GAME_ID = 1;

    /// @notice Gas a challenge costs, rounded up (the gas test checks the real figure is below).
    uint256 public constant CHALLENGE_GAS = 70_000;
    /// @notice Gas processing one exit costs in a batch, rounded up (checked by the gas test).
    uint256 public constant PROCESS_GAS = 60_000;

    /// @inheritdoc IStandardExitGame
    uint256 public immutable EXIT_BOND;
    /// @inheritdoc IStandardExitGame
    uint256 public immutable CHALLENGER_SHARE;
    /// @inheritdoc IStandardExitGame
    uint256 public immutable PROCESS_BOUNTY;

    /// @custom:storage-location erc7201:plasma.exits.standard
    struct Layout {
        /// @notice The output id of the live standard exit at a position.
        mapping(uint64 utxoPos => bytes32 outputId) exitAt;
    }

    /// @dev keccak256(abi.encode(uint256(keccak256("plasma.exits.standard")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant LAYOUT_SLOT = 0x71fbb102ad323401fcb33e94d50328066f6287ad577008649e22bed5b1015e00;

    /// @param minExitPeriod MIN_EXIT_PERIOD in seconds.
    /// @param bondGasPrice BOND_GAS_PRICE in wei.
    constructor(uint256 minExitPeriod, uint256 bondGasPrice) ExitGameBase(minExitPeriod, bondGasPrice) {
        CHALLENGER_SHARE = CHALLENGE_GAS * bondGasPrice;
        PROCESS_BOUNTY = PROCESS_GAS * bondGasPrice;
        EXIT_BOND = 2 * CHALLENGER_SHARE + PROCESS_BOUNTY;
    }

    // ------------------------------------------------------------------ start

    /// @inheritdoc IStandardExitGame
    function startStandardExit(uint64 utxoPos, bytes calldata txBytes, bytes calldata proof, uint256 blockTimestamp)
        external
        payable
        onlyDelegateCall
    {
        if (msg.value != EXIT_BOND) revert RootChain_BadBond(msg.value, EXIT_BOND);
        PlasmaStorage.Layout storage s = _framework();
        uint256 blknum = PositionLib.blknum(utxoPos);
        if (s.blocks[blknum] == 0) revert RootChain_BlockNotFound(blknum);
        bool isDeposit = PositionLib.isDepositBlock(blknum);
        (address token, uint256 amount) = _exitingOutput(utxoPos, blknum, isDeposit, txBytes);
        if (!_isIncluded(blknum, PositionLib.txIndex(utxoPos), txBytes, proof, blockTimestamp)) {
            revert RootChain_BadInclusion(utxoPos);
        }

        // One exit per output, across positions and games: the id is the transaction's.
        bytes32 exitId = OutputLib.id(txBytes, PositionLib.oIndex(utxoPos));
        if (s.outputs[exitId] != 0) revert RootChain_ExitExists(exitId);
        OutputLib.open(s, exitId, msg.sender, amount);
        _layout().exitAt[utxoPos] = exitId;
        s.bondsHeld += EXIT_BOND;

        uint64 exitableAt = _exitableAt(isDeposit, blockTimestamp);
        s.queues[token].insert(ExitQueueLib.key(exitableAt, utxoPos, STANDARD_GAME_ID, 0));
        emit ExitStarted(exitId, utxoPos, msg.sender, token, amount, exitableAt);
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

    /// @notice MoreVP timing: a deposit matures one period from now; a child-block output
    ///         also no earlier than two periods after its block. `blockTimestamp` is the
    ///         committed one, so the result fits a queue key's 40 bits.
    function _exitableAt(bool isDeposit, uint256 blockTimestamp) private view returns (uint64) {
        uint256 at = block.timestamp + _minExitPeriod;
        if (!isDeposit) {
            uint256 matured = blockTimestamp + 2 * _minExitPeriod;
            if (matured > at) at = matured;
        }
        // casting to 'uint64' is safe because `at` ≤ a committed timestamp + 2 · 2^32
        // forge-lint: disable-next-line(unsafe-typecast)
        return uint64(at);
    }

    // ------------------------------------------------------------------ challenge

    /// @inheritdoc IStandardExitGame
    function challengeStandardExit(
        uint64 utxoPos,
        bytes calldata spendingTx,
        uint8 inputIndex,
        bytes calldata signature,
        address challenger
    ) external onlyDelegateCall nonReentrant {
        if (challenger == address(0)) revert RootChain_ZeroChallenger();
        PlasmaStorage.Layout storage s = _framework();
        bytes32 exitId = _layout().exitAt[utxoPos];
        uint256 record = s.outputs[exitId];
        if (exitId == 0 || OutputLib.status(record) != OutputLib.EXITING) revert RootChain_ExitNotActive(utxoPos);
        _verifySpend(utxoPos, OutputLib.ownerOf(record), spendingTx, inputIndex, signature);

        s.outputs[exitId] = OutputLib.withStatus(record, OutputLib.CHALLENGED);
        s.bondsHeld -= EXIT_BOND;
        emit ExitChallenged(exitId, utxoPos, challenger, keccak256(spendingTx), inputIndex);
        // Lesson 7: the share goes to the named challenger, not to msg.sender. The rest of the
        // bond is forfeited: it stays in the contract, unowned.
        VaultLib.payOrDefer(s, challenger, address(0), CHALLENGER_SHARE);
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

    /// @inheritdoc IExitGame
    function processExit(address token, uint256 key, uint256 budget)
        external
        onlyDelegateCall
        returns (uint256, uint256)
    {
        uint64 utxoPos = ExitQueueLib.position(key);
        bytes32 exitId = _layout().exitAt[utxoPos];
        delete _layout().exitAt[utxoPos];
        (address owner, uint256 paid) = _close(exitId, budget);
        // A challenged exit was settled by its challenge: only its queue entry was left.
        if (owner == address(0)) return (0, 0);
        _framework().bondsHeld -= EXIT_BOND;
        _payOwner(exitId, utxoPos, owner, token, paid);
        return (paid, PROCESS_BOUNTY);
    }

    /// @notice Marks a live exit's output exited and says what it is paid: its amount, capped
    ///         by the budget so that no amount can make processing revert; nothing when
    ///         another game paid the output first (the owner still gets back the bond).
    ///         Returns a zero owner for a challenged exit.
    function _close(bytes32 exitId, uint256 budget) private returns (address owner, uint256 paid) {
        PlasmaStorage.Layout storage s = _framework();
        uint256 record = s.outputs[exitId];
        uint8 status = OutputLib.status(record);
        if (status == OutputLib.CHALLENGED) return (address(0), 0);
        owner = OutputLib.ownerOf(record);
        if (status == OutputLib.EXITING) {
            s.outputs[exitId] = OutputLib.withStatus(record, OutputLib.EXITED);
            uint256 amount = OutputLib.amountOf(s, exitId, record);
            paid = amount < budget ? amount : budget;
        }
    }

    /// @notice Pays an exit's owner `paid` of the token and the bond less the bounty (one
    ///         transfer for ETH), and reports it.
    function _payOwner(bytes32 exitId, uint64 utxoPos, address owner, address token, uint256 paid) private {
        PlasmaStorage.Layout storage s = _framework();
        uint256 refund = EXIT_BOND - PROCESS_BOUNTY;
        bool ok;
        if (token == address(0)) {
            ok = VaultLib.payOrDefer(s, owner, address(0), paid + refund);
        } else {
            ok = VaultLib.payOrDefer(s, owner, token, paid);
            ok = VaultLib.payOrDefer(s, owner, address(0), refund) && ok;
        }
        emit ExitProcessed(exitId, utxoPos, owner, token, paid, !ok);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IStandardExitGame
    function exitIdAt(uint64 utxoPos) external view returns (bytes32) {
        return _layout().exitAt[utxoPos];
    }

    /// @inheritdoc IStandardExitGame
    function MIN_EXIT_PERIOD() external view returns (uint256) {
        return _minExitPeriod;
    }

    /// @inheritdoc IStandardExitGame
    function BOND_GAS_PRICE() external view returns (uint256) {
        return _bondGasPrice;
    }

    /// @inheritdoc IExitGame
    function GAME_ID() external pure returns (uint8) {
        return STANDARD_GAME_ID;
    }

    function _layout() private pure returns (Layout storage l) {
        bytes32 slot = LAYOUT_SLOT;
        assembly ("memory-safe") {
            l.slot := slot
        }
    }
}
