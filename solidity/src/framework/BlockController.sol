// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPlasmaFramework} from "../interfaces/IPlasmaFramework.sol";
import {MerkleLib} from "../lib/MerkleLib.sol";
import {PositionLib} from "../lib/PositionLib.sol";
import {TxLib} from "../lib/TxLib.sol";
import {PlasmaStorage} from "./PlasmaStorage.sol";

/// @title BlockController
/// @notice Block commitments and the operator role. All per-call bookkeeping of blocks and
///         deposits (operator, next child block, deposit counter) is packed into one slot
///         (PlasmaStorage.Head), so submitBlock and a deposit read and write one slot each.
abstract contract BlockController is IPlasmaFramework {
    /// @param operator_ The first operator.
    constructor(address operator_) {
        if (operator_ == address(0)) revert RootChain_ZeroOperator();
        PlasmaStorage.layout().head = PlasmaStorage.Head(operator_, uint64(PositionLib.CHILD_BLOCK_INTERVAL), 1);
    }

    /// @inheritdoc IPlasmaFramework
    function submitBlock(bytes32 root) external {
        PlasmaStorage.Layout storage s = PlasmaStorage.layout();
        PlasmaStorage.Head memory h = s.head;
        if (msg.sender != h.operator) revert RootChain_NotOperator(msg.sender);
        uint256 blknum = h.nextChildBlock;
        if (blknum > PositionLib.MAX_CHILD_BLOCK) revert RootChain_BlockNumberOverflow(blknum);
        s.blocks[blknum] = commitment(root, block.timestamp);
        // casting to 'uint64' is safe because blknum ≤ MAX_CHILD_BLOCK was checked
        // forge-lint: disable-next-line(unsafe-typecast)
        s.head = PlasmaStorage.Head(h.operator, uint64(blknum + PositionLib.CHILD_BLOCK_INTERVAL), 1);
        emit BlockSubmitted(blknum, root, block.timestamp);
    }

    /// @inheritdoc IPlasmaFramework
    function transferOperator(address pending) external {
        PlasmaStorage.Layout storage s = PlasmaStorage.layout();
        address current = s.head.operator;
        if (msg.sender != current) revert RootChain_NotOperator(msg.sender);
        if (pending == address(0)) revert RootChain_ZeroOperator();
        s.pendingOperator = pending;
        emit OperatorTransferStarted(current, pending);
    }

    /// @inheritdoc IPlasmaFramework
    function acceptOperator() external {
        PlasmaStorage.Layout storage s = PlasmaStorage.layout();
        address pending = s.pendingOperator;
        if (pending == address(0) || msg.sender != pending) revert RootChain_NotPendingOperator(msg.sender);
        address previous = s.head.operator;
        s.head.operator = msg.sender;
        delete s.pendingOperator;
        emit OperatorTransferred(previous, msg.sender);
    }

    /// @inheritdoc IPlasmaFramework
    function pendingOperator() external view returns (address) {
        return PlasmaStorage.layout().pendingOperator;
    }

    /// @inheritdoc IPlasmaFramework
    function operator() external view returns (address) {
        return PlasmaStorage.layout().head.operator;
    }

    /// @inheritdoc IPlasmaFramework
    function nextChildBlock() external view returns (uint256) {
        return PlasmaStorage.layout().head.nextChildBlock;
    }

    /// @inheritdoc IPlasmaFramework
    function nextDepositBlock() external view returns (uint256) {
        PlasmaStorage.Head memory h = PlasmaStorage.layout().head;
        return uint256(h.nextChildBlock) - PositionLib.CHILD_BLOCK_INTERVAL + h.depositCounter;
    }

    /// @inheritdoc IPlasmaFramework
    function blocks(uint256 blknum) external view returns (bytes32) {
        return PlasmaStorage.layout().blocks[blknum];
    }

    /// @notice Records the deposit block of one DEPOSIT transaction `(owner, token, amount)`
    ///         and returns its number and root. Reverts after 999 deposits in one interval,
    ///         so deposit blocks never reach the next child block (audit lesson 6).
    function _recordDepositBlock(address owner, address token, uint256 amount)
        internal
        returns (uint256 blknum, bytes32 root)
    {
        PlasmaStorage.Layout storage s = PlasmaStorage.layout();
        PlasmaStorage.Head memory h = s.head;
        uint256 counter = h.depositCounter;
        if (counter >= PositionLib.CHILD_BLOCK_INTERVAL) revert RootChain_TooManyDeposits(h.nextChildBlock);
        blknum = uint256(h.nextChildBlock) - PositionLib.CHILD_BLOCK_INTERVAL + counter;
        root = MerkleLib.singleLeafRoot(MerkleLib.leafHash(TxLib.depositTx(blknum, owner, token, amount)));
        s.blocks[blknum] = commitment(root, block.timestamp);
        // casting to 'uint16' is safe because counter < 1000 was checked
        // forge-lint: disable-next-line(unsafe-typecast)
        s.head = PlasmaStorage.Head(h.operator, h.nextChildBlock, uint16(counter + 1));
    }

    /// @notice The deposit counter of the current interval (1 for its first deposit).
    function _depositCounter() internal view returns (uint256) {
        return PlasmaStorage.layout().head.depositCounter;
    }
}

/// @notice keccak256(abi.encode(root, timestamp)): what a block's commitment is.
function commitment(bytes32 root, uint256 time) pure returns (bytes32 c) {
    assembly ("memory-safe") {
        mstore(0x00, root)
        mstore(0x20, time)
        c := keccak256(0x00, 0x40)
    }
}
