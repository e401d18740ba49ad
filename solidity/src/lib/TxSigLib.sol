// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title TxSigLib
/// @notice EIP-712 struct hash of a transaction (docs/SPEC.md):
///         `Transaction(uint8 txType,uint64[] inputs,Output[] outputs,bytes32 metadata)Output(address owner,address token,uint256 amount)`.
///         The domain (name "Plasma", version "1") comes from OpenZeppelin's EIP712 in the
///         root chain; this library only hashes the struct, straight from the canonical bytes
///         in calldata so a challenge never decodes into memory structs. Call it only on
///         bytes that passed TxLib.validate.
library TxSigLib {
    /// @notice keccak256 of the Transaction type string (with the Output type appended).
    bytes32 internal constant TRANSACTION_TYPEHASH = keccak256(
        "Transaction(uint8 txType,uint64[] inputs,Output[] outputs,bytes32 metadata)Output(address owner,address token,uint256 amount)"
    );
    /// @notice keccak256 of the Output type string.
    bytes32 internal constant OUTPUT_TYPEHASH = keccak256("Output(address owner,address token,uint256 amount)");
    /// @notice keccak256 of the EIP-712 domain type string.
    bytes32 internal constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");

    /// @notice hashStruct(Transaction) of validated canonical bytes.
    function hashStruct(bytes calldata txBytes, uint256 numInputs, uint256 numOutputs)
        internal
        pure
        returns (bytes32 h)
    {
        bytes32 txTypehash = TRANSACTION_TYPEHASH;
        bytes32 outTypehash = OUTPUT_TYPEHASH;
        assembly ("memory-safe") {
            // Temporary use of the memory past the free pointer (never allocated).
            let ptr := mload(0x40)
            let cursor := add(txBytes.offset, 3)
            // inputs: keccak256 of the 32-byte encodings of each uint64.
            for { let i := 0 } lt(i, numInputs) { i := add(i, 1) } {
                mstore(add(ptr, shl(5, i)), shr(192, calldataload(cursor)))
                cursor := add(cursor, 8)
            }
            let inputsHash := keccak256(ptr, shl(5, numInputs))
            // outputs: keccak256 of the concatenated hashStruct(Output).
            let hashes := add(ptr, 0x80)
            mstore(ptr, outTypehash)
            for { let i := 0 } lt(i, numOutputs) { i := add(i, 1) } {
                mstore(add(ptr, 0x20), shr(96, calldataload(cursor)))
                mstore(add(ptr, 0x40), shr(96, calldataload(add(cursor, 20))))
                mstore(add(ptr, 0x60), calldataload(add(cursor, 40)))
                mstore(add(hashes, shl(5, i)), keccak256(ptr, 0x80))
                cursor := add(cursor, 72)
            }
            let outputsHash := keccak256(hashes, shl(5, numOutputs))
            mstore(ptr, txTypehash)
            mstore(add(ptr, 0x20), shr(248, calldataload(txBytes.offset)))
            mstore(add(ptr, 0x40), inputsHash)
            mstore(add(ptr, 0x60), outputsHash)
            mstore(add(ptr, 0x80), calldataload(cursor))
            h := keccak256(ptr, 0xa0)
        }
    }

    /// @notice The domain separator for a given chain and verifying contract (for off-chain
    ///         style computations; the root chain uses OpenZeppelin's cached one).
    function domainSeparator(uint256 chainId, address verifyingContract) internal pure returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, keccak256("Plasma"), keccak256("1"), chainId, verifyingContract));
    }

    /// @notice keccak256(0x1901 ‖ domainSeparator ‖ structHash).
    function typedDataHash(bytes32 separator, bytes32 structHash) internal pure returns (bytes32 digest) {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, hex"1901")
            mstore(add(ptr, 0x02), separator)
            mstore(add(ptr, 0x22), structHash)
            digest := keccak256(ptr, 0x42)
        }
    }

    /// @notice Splits a 65-byte `r ‖ s ‖ v` signature; `ok` is false for any other length.
    function split(bytes calldata signature) internal pure returns (bool ok, uint8 v, bytes32 r, bytes32 s) {
        if (signature.length != 65) return (false, 0, 0, 0);
        assembly ("memory-safe") {
            r := calldataload(signature.offset)
            s := calldataload(add(signature.offset, 0x20))
            v := byte(0, calldataload(add(signature.offset, 0x40)))
        }
        ok = true;
    }

    /// @notice Recovers the signer of `digest` with OpenZeppelin's ECDSA, which rejects high s
    ///         and a zero recovery; v outside {27, 28} makes ecrecover return zero, so it is
    ///         rejected too. `ok` is false for any invalid signature (then `signer` is zero).
    function tryRecover(bytes32 digest, bytes calldata signature) internal pure returns (address signer, bool ok) {
        (bool shaped, uint8 v, bytes32 r, bytes32 s) = split(signature);
        if (!shaped) return (address(0), false);
        (address recovered, ECDSA.RecoverError err,) = ECDSA.tryRecover(digest, v, r, s);
        if (err != ECDSA.RecoverError.NoError) return (address(0), false);
        return (recovered, true);
    }
}
