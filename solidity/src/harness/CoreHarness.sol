// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

import {MerkleLib} from "../lib/MerkleLib.sol";
import {TxLib} from "../lib/TxLib.sol";
import {TxSigLib} from "../lib/TxSigLib.sol";

/// @title CoreHarness
/// @notice Exposes the Solidity libraries exactly as the root chain uses them, so the Rust
///         core's property tests can compare verdicts against the real EVM code on anvil
///         (docs/SPEC.md, "Test harness contract"). Not part of a deployment.
contract CoreHarness {
    /// @notice Decodes canonical transaction bytes; reverts with the TxLib_* errors.
    /// @param txBytes The transaction bytes.
    function decode(bytes calldata txBytes)
        external
        pure
        returns (
            uint8 txType,
            uint64[] memory inputs,
            address[] memory owners,
            address[] memory tokens,
            uint256[] memory amounts,
            bytes32 metadata
        )
    {
        TxLib.Transaction memory t = TxLib.decode(txBytes);
        uint256 n = t.outputs.length;
        owners = new address[](n);
        tokens = new address[](n);
        amounts = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            owners[i] = t.outputs[i].owner;
            tokens[i] = t.outputs[i].token;
            amounts[i] = t.outputs[i].amount;
        }
        return (t.txType, t.inputs, owners, tokens, amounts, t.metadata);
    }

    /// @notice keccak256(0x00 ‖ txBytes).
    /// @param txBytes The transaction bytes (not validated).
    function leafHash(bytes calldata txBytes) external pure returns (bytes32) {
        return MerkleLib.leafHashCalldata(txBytes);
    }

    /// @notice Verifies a depth-16 proof; reverts on a bad index or proof length, false on a mismatch.
    /// @param leaf The leaf hash.
    /// @param index The leaf index.
    /// @param root The expected root.
    /// @param proof 16 × 32 bytes of siblings, leaf level first.
    function verifyProof(bytes32 leaf, uint256 index, bytes32 root, bytes calldata proof) external pure returns (bool) {
        return MerkleLib.verify(leaf, index, root, proof);
    }

    /// @notice The EIP-712 signing hash of canonical bytes under domain ("Plasma", "1", chainId, verifyingContract).
    /// @param txBytes The transaction bytes (validated first).
    /// @param chainId The domain's chain id.
    /// @param verifyingContract The domain's verifying contract (the root chain).
    function signingHash(bytes calldata txBytes, uint256 chainId, address verifyingContract)
        external
        pure
        returns (bytes32)
    {
        (, uint256 numInputs, uint256 numOutputs) = TxLib.validate(txBytes);
        return TxSigLib.typedDataHash(
            TxSigLib.domainSeparator(chainId, verifyingContract), TxSigLib.hashStruct(txBytes, numInputs, numOutputs)
        );
    }

    /// @notice Recovers a signer like the root chain does; reverts on any invalid signature
    ///         (length, high s, v ∉ {27, 28}, zero recovery) with OpenZeppelin's ECDSA errors.
    /// @param digest The signed hash.
    /// @param signature 65 bytes r ‖ s ‖ v.
    function recoverSigner(bytes32 digest, bytes calldata signature) external pure returns (address) {
        return ECDSA.recover(digest, signature);
    }

    /// @notice The DEPOSIT transaction the root chain builds for a deposit.
    /// @param blknum The deposit block number (becomes the metadata).
    /// @param owner The output's owner.
    /// @param token The output's token.
    /// @param amount The credited amount.
    function depositTx(uint256 blknum, address owner, address token, uint256 amount)
        external
        pure
        returns (bytes memory)
    {
        return TxLib.depositTx(blknum, owner, token, amount);
    }

    /// @notice The root of a deposit block holding `txBytes` at index 0.
    /// @param txBytes The deposit transaction bytes.
    function depositRoot(bytes calldata txBytes) external pure returns (bytes32) {
        return MerkleLib.singleLeafRoot(MerkleLib.leafHashCalldata(txBytes));
    }
}
