// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IRootChain} from "../interfaces/IRootChain.sol";
import {MerkleLib} from "../lib/MerkleLib.sol";
import {PositionLib} from "../lib/PositionLib.sol";
import {TxLib} from "../lib/TxLib.sol";

/// @title BlockController
/// @notice Block commitments and the operator role. All per-call bookkeeping of blocks and
///         deposits (operator, next child block, deposit counter) is packed into the FIRST
///         storage slot, so submitBlock and a deposit read and write one slot each.
abstract contract BlockController is IRootChain {
    /// @notice The packed head of the chain (storage slot 0).
    struct Head {
        address operator;
        uint64 nextChildBlock;
        uint16 depositCounter; // next deposit block is nextChildBlock - 1000 + depositCounter
    }

    Head internal _head;

    /// @notice Commitment of each block: keccak256(abi.encode(root, timestamp)).
    mapping(uint256 blknum => bytes32 commitment) public blocks;

    address private _pendingOperator;

    /// @param operator_ The first operator.
    constructor(address operator_) {
        if (operator_ == address(0)) revert RootChain_ZeroOperator();
        _head = Head(operator_, uint64(PositionLib.CHILD_BLOCK_INTERVAL), 1);
    }

    /// @inheritdoc IRootChain
    function submitBlock(bytes32 root) external {
        Head memory h = _head;
        if (msg.sender != h.operator) revert RootChain_NotOperator(msg.sender);
        uint256 blknum = h.nextChildBlock;
        if (blknum > PositionLib.MAX_CHILD_BLOCK) revert RootChain_BlockNumberOverflow(blknum);
        blocks[blknum] = _commitment(root, block.timestamp);
        // casting to 'uint64' is safe because blknum ≤ MAX_CHILD_BLOCK was checked
        // forge-lint: disable-next-line(unsafe-typecast)
        _head = Head(h.operator, uint64(blknum + PositionLib.CHILD_BLOCK_INTERVAL), 1);
        emit BlockSubmitted(blknum, root, block.timestamp);
    }

    /// @inheritdoc IRootChain
    function transferOperator(address pending) external {
        address current = _head.operator;
        if (msg.sender != current) revert RootChain_NotOperator(msg.sender);
        if (pending == address(0)) revert RootChain_ZeroOperator();
        _pendingOperator = pending;
        emit OperatorTransferStarted(current, pending);
    }

    /// @inheritdoc IRootChain
    function acceptOperator() external {
        address pending = _pendingOperator;
        if (pending == address(0) || msg.sender != pending) revert RootChain_NotPendingOperator(msg.sender);
        address previous = _head.operator;
        _head.operator = msg.sender;
        delete _pendingOperator;
        emit OperatorTransferred(previous, msg.sender);
    }

    /// @notice The operator proposed by transferOperator, zero when none is pending.
    function pendingOperator() external view returns (address) {
        return _pendingOperator;
    }

    /// @inheritdoc IRootChain
    function operator() external view returns (address) {
        return _head.operator;
    }

    /// @inheritdoc IRootChain
    function nextChildBlock() external view returns (uint256) {
        return _head.nextChildBlock;
    }

    /// @inheritdoc IRootChain
    function nextDepositBlock() external view returns (uint256) {
        Head memory h = _head;
        return uint256(h.nextChildBlock) - PositionLib.CHILD_BLOCK_INTERVAL + h.depositCounter;
    }

    /// @notice Records the deposit block of one DEPOSIT transaction `(owner, token, amount)`
    ///         and returns its number and root. Reverts after 999 deposits in one interval,
    ///         so deposit blocks never reach the next child block (audit lesson 6).
    function _recordDepositBlock(address owner, address token, uint256 amount)
        internal
        returns (uint256 blknum, bytes32 root)
    {
        Head memory h = _head;
        uint256 counter = h.depositCounter;
        if (counter >= PositionLib.CHILD_BLOCK_INTERVAL) revert RootChain_TooManyDeposits(h.nextChildBlock);
        blknum = uint256(h.nextChildBlock) - PositionLib.CHILD_BLOCK_INTERVAL + counter;
        root = MerkleLib.singleLeafRoot(MerkleLib.leafHash(TxLib.depositTx(blknum, owner, token, amount)));
        blocks[blknum] = _commitment(root, block.timestamp);
        // casting to 'uint16' is safe because counter < 1000 was checked
        // forge-lint: disable-next-line(unsafe-typecast)
        _head = Head(h.operator, h.nextChildBlock, uint16(counter + 1));
    }

    /// @notice keccak256(abi.encode(root, timestamp)).
    function _commitment(bytes32 root, uint256 time) internal pure returns (bytes32 c) {
        assembly ("memory-safe") {
            mstore(0x00, root)
            mstore(0x20, time)
            c := keccak256(0x00, 0x40)
        }
    }
}
