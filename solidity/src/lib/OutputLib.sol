// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {PlasmaStorage} from "../framework/PlasmaStorage.sol";

/// @title OutputLib
/// @notice Output ids and the exit record of an output, shared by every exit game: the one
///         place that decides whether an output may still be paid.
///
///         An output's id is `keccak256(keccak256(txBytes) ‖ uint8 oindex)`: it derives from
///         the transaction, not from the position, so a transaction included twice (or at
///         two positions) is still one set of outputs and pays once.
///
///         Record (one slot): `status (8) << 248 | amount (88) << 160 | owner (160)`. The
///         owner and amount are the claim of the output's standard exit; an amount of
///         2^88 or more is stored in `bigAmounts` and the field holds zero.
library OutputLib {
    /// @notice No exit has touched the output.
    uint8 internal constant NONE = 0;
    /// @notice A standard exit of the output is in its queue.
    uint8 internal constant EXITING = 1;
    /// @notice The output's standard exit was challenged: the output was spent.
    uint8 internal constant CHALLENGED = 2;
    /// @notice The output was paid out (by any game): it can never be paid again.
    uint8 internal constant EXITED = 3;

    uint256 private constant AMOUNT_BITS = 88;
    uint256 private constant AMOUNT_MASK = (1 << AMOUNT_BITS) - 1;

    /// @notice The id of output `oindex` of `txBytes` (calldata).
    function id(bytes calldata txBytes, uint256 oindex) internal pure returns (bytes32 outputId) {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            calldatacopy(ptr, txBytes.offset, txBytes.length)
            mstore(0x00, keccak256(ptr, txBytes.length))
            mstore8(0x20, oindex)
            outputId := keccak256(0x00, 0x21)
        }
    }

    /// @notice Writes a new record for `outputId` with status EXITING.
    function open(PlasmaStorage.Layout storage s, bytes32 outputId, address claimant, uint256 value) internal {
        uint256 field = value;
        if (value > AMOUNT_MASK) {
            field = 0;
            s.bigAmounts[outputId] = value;
        }
        s.outputs[outputId] = (uint256(EXITING) << 248) | (field << 160) | uint256(uint160(claimant));
    }

    /// @notice The status of a record.
    function status(uint256 record) internal pure returns (uint8) {
        // casting to 'uint8' is safe because the status is the top byte
        // forge-lint: disable-next-line(unsafe-typecast)
        return uint8(record >> 248);
    }

    /// @notice The record with its status replaced.
    function withStatus(uint256 record, uint8 newStatus) internal pure returns (uint256) {
        return (record & ((1 << 248) - 1)) | (uint256(newStatus) << 248);
    }

    /// @notice The claimant of a record.
    function ownerOf(uint256 record) internal pure returns (address) {
        // casting to 'uint160' is safe because the owner is the low 160 bits
        // forge-lint: disable-next-line(unsafe-typecast)
        return address(uint160(record));
    }

    /// @notice The claimed amount of a record.
    function amountOf(PlasmaStorage.Layout storage s, bytes32 outputId, uint256 record)
        internal
        view
        returns (uint256)
    {
        uint256 field = (record >> 160) & AMOUNT_MASK;
        return field != 0 ? field : s.bigAmounts[outputId];
    }
}
