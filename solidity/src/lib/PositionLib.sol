// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title PositionLib
/// @notice UTXO positions: `blknum * 1e9 + txindex * 1e4 + oindex` as uint64 (docs/SPEC.md).
///         Plasma-specific arithmetic, so written here rather than taken from a library.
library PositionLib {
    /// @notice Multiplier of the block number in a position.
    uint256 internal constant BLOCK_OFFSET = 1_000_000_000;
    /// @notice Multiplier of the transaction index in a position.
    uint256 internal constant TX_OFFSET = 10_000;
    /// @notice Child blocks are multiples of this; deposit blocks lie in between.
    uint256 internal constant CHILD_BLOCK_INTERVAL = 1_000;
    /// @notice Transactions per block (Merkle depth 16).
    uint256 internal constant MAX_TXS = 65_536;
    /// @notice Outputs per transaction.
    uint256 internal constant MAX_OUTPUTS = 4;
    /// @notice The largest child block whose positions (and the deposits after it) fit uint64.
    uint256 internal constant MAX_CHILD_BLOCK = 18_446_743_000;

    /// @notice The components do not form a valid position.
    error PositionLib_Invalid(uint256 blknum, uint256 txindex, uint256 oindex);

    /// @notice Encodes a position; reverts unless `blknum ≥ 1`, `txindex < 65,536`, `oindex < 4`
    ///         and the result fits uint64.
    function encode(uint256 blk, uint256 txindex, uint256 oindex) internal pure returns (uint64) {
        if (blk == 0 || txindex >= MAX_TXS || oindex >= MAX_OUTPUTS || blk > type(uint64).max / BLOCK_OFFSET) {
            revert PositionLib_Invalid(blk, txindex, oindex);
        }
        uint256 pos = blk * BLOCK_OFFSET + txindex * TX_OFFSET + oindex;
        if (pos > type(uint64).max) revert PositionLib_Invalid(blk, txindex, oindex);
        // casting to 'uint64' is safe because of the bound just checked
        // forge-lint: disable-next-line(unsafe-typecast)
        return uint64(pos);
    }

    /// @notice The block number of a position.
    function blknum(uint64 pos) internal pure returns (uint256) {
        return uint256(pos) / BLOCK_OFFSET;
    }

    /// @notice The transaction index of a position (may exceed 65,535 for an invalid position).
    function txIndex(uint64 pos) internal pure returns (uint256) {
        return (uint256(pos) / TX_OFFSET) % (BLOCK_OFFSET / TX_OFFSET);
    }

    /// @notice The output index of a position (may exceed 3 for an invalid position).
    function oIndex(uint64 pos) internal pure returns (uint256) {
        return uint256(pos) % TX_OFFSET;
    }

    /// @notice True when `blknum ≥ 1`, `txindex < 65,536` and `oindex < 4`.
    function isValid(uint64 pos) internal pure returns (bool) {
        return blknum(pos) != 0 && txIndex(pos) < MAX_TXS && oIndex(pos) < MAX_OUTPUTS;
    }

    /// @notice True when `blknum` is a deposit block (not a multiple of the child-block interval).
    function isDepositBlock(uint256 blk) internal pure returns (bool) {
        return blk % CHILD_BLOCK_INTERVAL != 0;
    }
}
