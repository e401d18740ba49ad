// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {PositionLib} from "./PositionLib.sol";

/// @title TxLib
/// @notice Canonical decoder of the fixed-width transaction encoding of docs/SPEC.md:
///         `txType:u8 ‖ nIn:u8 ‖ nOut:u8 ‖ utxoPos:u64 × nIn ‖ (owner ‖ token ‖ amount) × nOut ‖ metadata`.
///         Plasma-specific, so hand-written; it reads calldata in place (no copy, no ABI
///         decoding) because exits and challenges pay for every byte touched. The rules are
///         checked in the SPEC's order and the first failure reverts with its error.
library TxLib {
    /// @notice Transaction type of a payment.
    uint8 internal constant PAYMENT = 1;
    /// @notice Transaction type of a deposit (built by the root chain only).
    uint8 internal constant DEPOSIT = 2;
    /// @notice Encoded size of an input.
    uint256 internal constant INPUT_SIZE = 8;
    /// @notice Encoded size of an output.
    uint256 internal constant OUTPUT_SIZE = 72;
    /// @notice Size of the header (txType, nIn, nOut).
    uint256 internal constant HEADER_SIZE = 3;
    /// @notice Size of the metadata trailer.
    uint256 internal constant METADATA_SIZE = 32;
    /// @notice Maximum inputs and outputs of a payment.
    uint256 internal constant MAX_IO = 4;

    /// @notice Rule 1: shorter than the 3-byte header.
    error TxLib_TooShort(uint256 length);
    /// @notice Rule 2: not PAYMENT (1) or DEPOSIT (2).
    error TxLib_UnknownType(uint8 txType);
    /// @notice Rule 3: input count outside the type's range.
    error TxLib_BadInputCount(uint8 numInputs);
    /// @notice Rule 4: output count outside the type's range.
    error TxLib_BadOutputCount(uint8 numOutputs);
    /// @notice Rule 5: the length is not exactly the one implied by the counts.
    error TxLib_BadLength(uint256 expected, uint256 actual);
    /// @notice Rule 6: input `index` is not a valid UTXO position.
    error TxLib_BadPosition(uint256 index, uint64 pos);
    /// @notice Rule 7: input `index` is not greater than input `index - 1`.
    error TxLib_InputsNotIncreasing(uint256 index);
    /// @notice Rule 8: output `index` has the zero owner.
    error TxLib_ZeroOwner(uint256 index);
    /// @notice Rule 9: output `index` has a zero amount.
    error TxLib_ZeroAmount(uint256 index);

    /// @notice An output: who owns how much of which token (address(0) is ETH).
    struct Output {
        address owner;
        address token;
        uint256 amount;
    }

    /// @notice A decoded transaction (used off the hot paths: harness and tests).
    struct Transaction {
        uint8 txType;
        uint64[] inputs;
        Output[] outputs;
        bytes32 metadata;
    }

    /// @notice Checks every canonical-encoding rule in SPEC order.
    /// @return txType The transaction type.
    /// @return numInputs The number of inputs.
    /// @return numOutputs The number of outputs.
    function validate(bytes calldata txBytes)
        internal
        pure
        returns (uint8 txType, uint256 numInputs, uint256 numOutputs)
    {
        uint256 len = txBytes.length;
        if (len < HEADER_SIZE) revert TxLib_TooShort(len);
        uint256 head;
        assembly ("memory-safe") {
            head := calldataload(txBytes.offset)
        }
        // casting to 'uint8' is safe: each is one byte of the header word
        // forge-lint: disable-next-line(unsafe-typecast)
        (txType, numInputs, numOutputs) = (uint8(head >> 248), uint8(head >> 240), uint8(head >> 232));
        if (txType == PAYMENT) {
            if (numInputs == 0 || numInputs > MAX_IO) revert TxLib_BadInputCount(_byte(numInputs));
            if (numOutputs == 0 || numOutputs > MAX_IO) revert TxLib_BadOutputCount(_byte(numOutputs));
        } else if (txType == DEPOSIT) {
            if (numInputs != 0) revert TxLib_BadInputCount(_byte(numInputs));
            if (numOutputs != 1) revert TxLib_BadOutputCount(_byte(numOutputs));
        } else {
            revert TxLib_UnknownType(txType);
        }
        uint256 expected = HEADER_SIZE + INPUT_SIZE * numInputs + OUTPUT_SIZE * numOutputs + METADATA_SIZE;
        if (len != expected) revert TxLib_BadLength(expected, len);

        uint64 prev;
        for (uint256 i; i < numInputs; ++i) {
            uint64 pos = inputAt(txBytes, i);
            if (!PositionLib.isValid(pos)) revert TxLib_BadPosition(i, pos);
            if (i != 0 && pos <= prev) revert TxLib_InputsNotIncreasing(i);
            prev = pos;
        }
        for (uint256 i; i < numOutputs; ++i) {
            (address owner,, uint256 amount) = outputAt(txBytes, numInputs, i);
            if (owner == address(0)) revert TxLib_ZeroOwner(i);
            if (amount == 0) revert TxLib_ZeroAmount(i);
        }
    }

    /// @notice Input `i` (no bounds check: call after validate with `i < numInputs`).
    function inputAt(bytes calldata txBytes, uint256 i) internal pure returns (uint64 pos) {
        assembly ("memory-safe") {
            pos := shr(192, calldataload(add(add(txBytes.offset, 3), shl(3, i))))
        }
    }

    /// @notice Output `i` (no bounds check: call after validate with `i < numOutputs`).
    function outputAt(bytes calldata txBytes, uint256 numInputs, uint256 i)
        internal
        pure
        returns (address owner, address token, uint256 amount)
    {
        assembly ("memory-safe") {
            let o := add(add(add(txBytes.offset, 3), shl(3, numInputs)), mul(72, i))
            owner := shr(96, calldataload(o))
            token := shr(96, calldataload(add(o, 20)))
            amount := calldataload(add(o, 40))
        }
    }

    /// @notice The metadata word (no bounds check: call after validate).
    function metadataOf(bytes calldata txBytes) internal pure returns (bytes32 metadata) {
        assembly ("memory-safe") {
            metadata := calldataload(sub(add(txBytes.offset, txBytes.length), 32))
        }
    }

    /// @notice Validates and decodes into memory.
    function decode(bytes calldata txBytes) internal pure returns (Transaction memory t) {
        (uint8 txType, uint256 numInputs, uint256 numOutputs) = validate(txBytes);
        t.txType = txType;
        t.inputs = new uint64[](numInputs);
        for (uint256 i; i < numInputs; ++i) {
            t.inputs[i] = inputAt(txBytes, i);
        }
        t.outputs = new Output[](numOutputs);
        for (uint256 i; i < numOutputs; ++i) {
            (address owner, address token, uint256 amount) = outputAt(txBytes, numInputs, i);
            t.outputs[i] = Output(owner, token, amount);
        }
        t.metadata = metadataOf(txBytes);
    }

    /// @notice The DEPOSIT transaction the root chain records for a deposit: no inputs, one
    ///         output, metadata = bytes32(blknum).
    function depositTx(uint256 blknum, address owner, address token, uint256 amount)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encodePacked(DEPOSIT, uint8(0), uint8(1), owner, token, amount, bytes32(blknum));
    }

    /// @notice A count read from one header byte, as the uint8 it was.
    function _byte(uint256 count) private pure returns (uint8) {
        // casting to 'uint8' is safe because the count was read from a single byte
        // forge-lint: disable-next-line(unsafe-typecast)
        return uint8(count);
    }
}
