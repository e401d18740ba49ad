// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";

import {CoreHarness} from "../../src/harness/CoreHarness.sol";
import {MerkleLib} from "../../src/lib/MerkleLib.sol";
import {TxBuilder} from "../shared/TxBuilder.sol";

abstract contract MerkleLib_TestInit is Test {
    CoreHarness internal harness;

    function setUp() public virtual {
        harness = new CoreHarness();
    }

    /// @notice Reference fold of a proof (independent of MerkleLib).
    function _fold(bytes32 leaf, uint256 index, bytes32[16] memory siblings) internal pure returns (bytes32 node) {
        node = leaf;
        for (uint256 k; k < 16; ++k) {
            node = (index >> k) & 1 == 0 ? TxBuilder.node(node, siblings[k]) : TxBuilder.node(siblings[k], node);
        }
    }

    function _pack(bytes32[16] memory siblings) internal pure returns (bytes memory proof) {
        for (uint256 k; k < 16; ++k) {
            proof = abi.encodePacked(proof, siblings[k]);
        }
    }
}

contract MerkleLib_ZeroHashes_Test is MerkleLib_TestInit {
    function test_zeroHash_matchesRecomputation_succeeds() public pure {
        bytes32[17] memory z = TxBuilder.zeros();
        for (uint256 k; k <= 16; ++k) {
            assertEq(MerkleLib.zeroHash(k), z[k]);
        }
        assertEq(MerkleLib.zeroHash(0), bytes32(0));
    }

    function test_singleLeafRoot_matchesTree_succeeds() public view {
        bytes memory dtx = TxBuilder.deposit(3, address(1), address(0), 10);
        (bytes32 root,) = TxBuilder.single(dtx);
        assertEq(harness.depositRoot(dtx), root);
    }
}

contract MerkleLib_Verify_Test is MerkleLib_TestInit {
    function test_verify_blockOfFive_succeeds() public view {
        bytes32[] memory leaves = new bytes32[](5);
        for (uint256 i; i < 5; ++i) {
            leaves[i] = keccak256(abi.encode(i));
        }
        for (uint256 i; i < 5; ++i) {
            (bytes32 root, bytes memory proof) = TxBuilder.rootAndProof(leaves, i);
            assertTrue(harness.verifyProof(leaves[i], i, root, proof));
            assertFalse(harness.verifyProof(leaves[i], i ^ 1, root, proof));
        }
    }

    function test_verify_lastIndex_succeeds() public view {
        // Only leaf 65,535 set: every level's sibling is an empty subtree on the left.
        bytes32 leaf = keccak256("last");
        bytes32[17] memory z = TxBuilder.zeros();
        bytes32[16] memory siblings;
        for (uint256 k; k < 16; ++k) {
            siblings[k] = z[k];
        }
        bytes32 root = _fold(leaf, 65_535, siblings);
        assertTrue(harness.verifyProof(leaf, 65_535, root, _pack(siblings)));
    }

    function testFuzz_verify_referenceFold_succeeds(bytes32 leaf, uint256 index, bytes32[16] memory siblings)
        public
        view
    {
        index = bound(index, 0, 65_535);
        bytes32 root = _fold(leaf, index, siblings);
        bytes memory proof = _pack(siblings);
        assertTrue(harness.verifyProof(leaf, index, root, proof));
        assertFalse(harness.verifyProof(leaf, index, root ^ bytes32(uint256(1)), proof));
    }

    function test_verify_referenceFold_succeeds() public view {
        bytes32[16] memory siblings;
        siblings[3] = keccak256("x");
        testFuzz_verify_referenceFold_succeeds(keccak256("leaf"), 12_345, siblings);
    }

    function test_verify_indexOutOfRange_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(MerkleLib.MerkleLib_IndexOutOfRange.selector, 65_536));
        harness.verifyProof(bytes32(0), 65_536, bytes32(0), new bytes(512));
    }

    function testFuzz_verify_indexOutOfRange_reverts(uint256 index) public {
        index = bound(index, 65_536, type(uint256).max);
        vm.expectRevert(abi.encodeWithSelector(MerkleLib.MerkleLib_IndexOutOfRange.selector, index));
        harness.verifyProof(bytes32(0), index, bytes32(0), new bytes(512));
    }

    function testFuzz_verify_badProofLength_reverts(uint256 length) public {
        length = bound(length, 0, 2048);
        vm.assume(length != 512);
        vm.expectRevert(abi.encodeWithSelector(MerkleLib.MerkleLib_BadProofLength.selector, length));
        harness.verifyProof(bytes32(0), 0, bytes32(0), new bytes(length));
    }

    function test_verify_badProofLength_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(MerkleLib.MerkleLib_BadProofLength.selector, 480));
        harness.verifyProof(bytes32(0), 0, bytes32(0), new bytes(480));
        vm.expectRevert(abi.encodeWithSelector(MerkleLib.MerkleLib_BadProofLength.selector, 544));
        harness.verifyProof(bytes32(0), 0, bytes32(0), new bytes(544));
    }

    function test_leafHash_salted_succeeds() public view {
        bytes memory txBytes = hex"0102030405";
        assertEq(harness.leafHash(txBytes), keccak256(abi.encodePacked(bytes1(0), txBytes)));
        assertEq(MerkleLib.leafHash(txBytes), keccak256(abi.encodePacked(bytes1(0), txBytes)));
        assertEq(txBytes.length, 5); // the memory variant restores the length word
    }
}
