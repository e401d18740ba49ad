// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title MerkleLib
/// @notice Fixed-depth (16) binary Merkle tree with leaf/node domain separation:
///         leaf = keccak256(0x00 ‖ txBytes), node = keccak256(0x01 ‖ left ‖ right), empty
///         leaf = 0 (docs/SPEC.md). Hand-written because OpenZeppelin's MerkleProof uses
///         sorted pairs, no salts and no index, which would reopen audit lessons 1 and 2.
library MerkleLib {
    /// @notice Tree depth.
    uint256 internal constant DEPTH = 16;
    /// @notice Leaves per tree.
    uint256 internal constant MAX_LEAVES = 65_536;
    /// @notice Exact proof length in bytes.
    uint256 internal constant PROOF_LENGTH = 512;

    /// @notice The leaf index does not fit a depth-16 tree.
    error MerkleLib_IndexOutOfRange(uint256 index);
    /// @notice The proof is not exactly 16 × 32 bytes.
    error MerkleLib_BadProofLength(uint256 length);

    // Roots of empty subtrees: Z[0] = 0, Z[k+1] = keccak256(0x01 ‖ Z[k] ‖ Z[k]).
    // Checked against a recomputation in test/lib/MerkleLib.t.sol.
    bytes32 internal constant Z0 = 0x0000000000000000000000000000000000000000000000000000000000000000;
    bytes32 internal constant Z1 = 0xc07a1e8b7e0057673fdc2affe190d8a960c5fe615663f27b7ce84f3d93ef92a6;
    bytes32 internal constant Z2 = 0xfd47517474a597637d54038a0663d1d03b931b238de06b73e3c12cf443de6e8d;
    bytes32 internal constant Z3 = 0x47a8f5e8fa70be2760378067c9c6d410dd96be07820b4230c11254c7ff10c298;
    bytes32 internal constant Z4 = 0xaed19ca4bfe2365b1b33fa94744cd0c6a2d550506c7e7efc073879cb79459b9a;
    bytes32 internal constant Z5 = 0x6e6998a7da8b2db5c98eb853099d8caec63797b5283b7dac37b2ffb630a86e24;
    bytes32 internal constant Z6 = 0x181c19735bff23b55bc295fc0b60c1c5c7288209b261a08e26924598ce72404e;
    bytes32 internal constant Z7 = 0xecb408b290ab2920e63611ef1e8ca964aebb66ea5739f19d24b92094f28e44f8;
    bytes32 internal constant Z8 = 0x294bf9785e1391d24d52abf915636a73bdaa12ed29e85e21dae14c09d0f2e34b;
    bytes32 internal constant Z9 = 0xcf7e37a934683edec795e3529db8fac0863519c2419ba24c0f6e4efa86ec7d1a;
    bytes32 internal constant Z10 = 0x72ce48cca9bc743fed84a0bdc00ad2c5b540323849c982f671a9bd8d52d15719;
    bytes32 internal constant Z11 = 0x0e2d7d0b695fdcd9dc6c54313ae652218375c3358d34ade3dcc49dda05c0db10;
    bytes32 internal constant Z12 = 0xa0a786a71d24007a23f5ce21e6997a305baeefaf348937a8b74974cb039c10c8;
    bytes32 internal constant Z13 = 0x0628cb6496193e6a55ece4a8240384e142273eeb9cc4bdae680f971fd1929f10;
    bytes32 internal constant Z14 = 0x2c3b833a3ca9d6f02055871655dd18f003a279f84a334bf6050899a9bc1cedc3;
    bytes32 internal constant Z15 = 0x1a6c5e9fd899efca64c2aca6243434b423d791f92a839c0c92ce0a5a51a07234;
    bytes32 internal constant Z16 = 0xa9942b0fabdf9bf32241f8245eb26737ffbd91822ac484ae857fc35d21fb652f;

    /// @notice keccak256(0x00 ‖ txBytes).
    function leafHash(bytes memory txBytes) internal pure returns (bytes32 h) {
        assembly ("memory-safe") {
            let len := mload(txBytes)
            // Overwrite the byte just before the data (the low byte of the length word) with
            // the 0x00 salt, hash, then restore the length.
            let saltPos := add(txBytes, 31)
            let saved := mload(txBytes)
            mstore8(saltPos, 0)
            h := keccak256(saltPos, add(len, 1))
            mstore(txBytes, saved)
        }
    }

    /// @notice keccak256(0x00 ‖ txBytes) for calldata bytes.
    function leafHashCalldata(bytes calldata txBytes) internal pure returns (bytes32 h) {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore8(ptr, 0)
            calldatacopy(add(ptr, 1), txBytes.offset, txBytes.length)
            h := keccak256(ptr, add(txBytes.length, 1))
        }
    }

    /// @notice keccak256(0x01 ‖ left ‖ right).
    function nodeHash(bytes32 left, bytes32 right) internal pure returns (bytes32 h) {
        assembly ("memory-safe") {
            // Scratch space 0x00-0x3f plus the free-memory pointer word are clobbered for
            // 65 bytes; use the free memory area instead.
            let ptr := mload(0x40)
            mstore8(ptr, 1)
            mstore(add(ptr, 1), left)
            mstore(add(ptr, 33), right)
            h := keccak256(ptr, 65)
        }
    }

    /// @notice The root reached from `leaf` at `index` through `proof`.
    function computeRoot(bytes32 leaf, uint256 index, bytes calldata proof) internal pure returns (bytes32 node) {
        if (index >= MAX_LEAVES) revert MerkleLib_IndexOutOfRange(index);
        if (proof.length != PROOF_LENGTH) revert MerkleLib_BadProofLength(proof.length);
        assembly ("memory-safe") {
            // One level: a right child (bit 1) goes to the second half, its sibling to the
            // first. Unrolled: the proof has a fixed 16 levels, and a loop costs each of them
            // a counter, a comparison and a jump.
            function lvl(p, n, sibling, right) -> h {
                mstore(add(p, add(1, right)), n)
                mstore(add(p, sub(33, right)), sibling)
                h := keccak256(p, 65)
            }
            let ptr := mload(0x40)
            mstore8(ptr, 1)
            let off := proof.offset
            node := leaf
            node := lvl(ptr, node, calldataload(add(off, 0)), shl(5, and(shr(0, index), 1)))
            node := lvl(ptr, node, calldataload(add(off, 32)), shl(5, and(shr(1, index), 1)))
            node := lvl(ptr, node, calldataload(add(off, 64)), shl(5, and(shr(2, index), 1)))
            node := lvl(ptr, node, calldataload(add(off, 96)), shl(5, and(shr(3, index), 1)))
            node := lvl(ptr, node, calldataload(add(off, 128)), shl(5, and(shr(4, index), 1)))
            node := lvl(ptr, node, calldataload(add(off, 160)), shl(5, and(shr(5, index), 1)))
            node := lvl(ptr, node, calldataload(add(off, 192)), shl(5, and(shr(6, index), 1)))
            node := lvl(ptr, node, calldataload(add(off, 224)), shl(5, and(shr(7, index), 1)))
            node := lvl(ptr, node, calldataload(add(off, 256)), shl(5, and(shr(8, index), 1)))
            node := lvl(ptr, node, calldataload(add(off, 288)), shl(5, and(shr(9, index), 1)))
            node := lvl(ptr, node, calldataload(add(off, 320)), shl(5, and(shr(10, index), 1)))
            node := lvl(ptr, node, calldataload(add(off, 352)), shl(5, and(shr(11, index), 1)))
            node := lvl(ptr, node, calldataload(add(off, 384)), shl(5, and(shr(12, index), 1)))
            node := lvl(ptr, node, calldataload(add(off, 416)), shl(5, and(shr(13, index), 1)))
            node := lvl(ptr, node, calldataload(add(off, 448)), shl(5, and(shr(14, index), 1)))
            node := lvl(ptr, node, calldataload(add(off, 480)), shl(5, and(shr(15, index), 1)))
        }
    }

    /// @notice Whether `proof` proves `leaf` at `index` under `root`. Reverts on a bad index
    ///         or proof length; returns false on a mismatch.
    function verify(bytes32 leaf, uint256 index, bytes32 root, bytes calldata proof) internal pure returns (bool) {
        return computeRoot(leaf, index, proof) == root;
    }

    /// @notice Root of a tree whose only leaf, at index 0, is `leaf` (a deposit block).
    function singleLeafRoot(bytes32 leaf) internal pure returns (bytes32 node) {
        // Unrolled with constant siblings: a deposit pays for 16 hashes, not 16 lookups.
        node = leaf;
        node = nodeHash(node, Z0);
        node = nodeHash(node, Z1);
        node = nodeHash(node, Z2);
        node = nodeHash(node, Z3);
        node = nodeHash(node, Z4);
        node = nodeHash(node, Z5);
        node = nodeHash(node, Z6);
        node = nodeHash(node, Z7);
        node = nodeHash(node, Z8);
        node = nodeHash(node, Z9);
        node = nodeHash(node, Z10);
        node = nodeHash(node, Z11);
        node = nodeHash(node, Z12);
        node = nodeHash(node, Z13);
        node = nodeHash(node, Z14);
        node = nodeHash(node, Z15);
    }

    /// @notice Z[level]: the root of an empty subtree of height `level` (0 ≤ level ≤ 16).
    function zeroHash(uint256 level) internal pure returns (bytes32) {
        if (level == 0) return Z0;
        if (level == 1) return Z1;
        if (level == 2) return Z2;
        if (level == 3) return Z3;
        if (level == 4) return Z4;
        if (level == 5) return Z5;
        if (level == 6) return Z6;
        if (level == 7) return Z7;
        if (level == 8) return Z8;
        if (level == 9) return Z9;
        if (level == 10) return Z10;
        if (level == 11) return Z11;
        if (level == 12) return Z12;
        if (level == 13) return Z13;
        if (level == 14) return Z14;
        if (level == 15) return Z15;
        if (level == 16) return Z16;
        revert MerkleLib_IndexOutOfRange(level);
    }
}
