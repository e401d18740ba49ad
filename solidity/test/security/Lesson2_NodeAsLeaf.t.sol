// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";

import {CoreHarness} from "../../src/harness/CoreHarness.sol";
import {MerkleLib} from "../../src/lib/MerkleLib.sol";
import {TxBuilder} from "../shared/TxBuilder.sol";

/// @notice Lesson 2: second preimage of an inner node presented as a leaf.
/// @dev The attack: a block's tree holds, at a leaf position, the value N = node(a, b) of
///      some subtree (a byzantine operator can commit any root). The attacker presents the
///      64 bytes `a ‖ b` as a leaf's data at that position, with a full, genuine 16-level
///      proof of N. Without domain separation (no salts, or equal salts) leafHash(a ‖ b) == N
///      and the forgery verifies; the 0x00 leaf / 0x01 node salts are the ONLY thing that
///      stops it here: the proof is the right length, the index in range, and the same proof
///      verifies N itself. With equal salts `test_lesson2_nodePreimageAsLeaf_reverts` fails
///      at the forged-verification assertion (checked by making leafHash salt with 0x01).
///      The fixed depth is an independent second defence against the SHORTENED path, which
///      `test_lesson2_shortenedPath_reverts` shows.
contract Lesson2_NodeAsLeaf_Test is Test {
    CoreHarness internal harness = new CoreHarness();

    function test_lesson2_nodePreimageAsLeaf_reverts() public view {
        bytes32 a = TxBuilder.leaf("tx0");
        bytes32 b = TxBuilder.leaf("tx1");
        bytes32 node = TxBuilder.node(a, b);
        // A tree whose leaf 0 is the inner-node value N, next to an ordinary leaf.
        bytes32[] memory leaves = new bytes32[](2);
        leaves[0] = node;
        leaves[1] = TxBuilder.leaf("tx2");
        (bytes32 root, bytes memory proof) = TxBuilder.rootAndProof(leaves, 0);
        // The proof is a genuine full-depth proof of N at index 0.
        assertTrue(harness.verifyProof(node, 0, root, proof));

        // The forgery: the node's 64-byte preimage as leaf data, with the same proof.
        bytes memory nodePreimage = abi.encodePacked(a, b);
        bytes32 forgedLeaf = harness.leafHash(nodePreimage);
        assertFalse(
            harness.verifyProof(forgedLeaf, 0, root, proof), "node preimage accepted as a leaf: no leaf/node salt"
        );
        assertTrue(forgedLeaf != node);
    }

    function test_lesson2_shortenedPath_reverts() public {
        bytes32[] memory leaves = new bytes32[](2);
        leaves[0] = TxBuilder.leaf("tx0");
        leaves[1] = TxBuilder.leaf("tx1");
        (bytes32 root, bytes memory proof) = TxBuilder.rootAndProof(leaves, 0);
        bytes32 forgedLeaf = harness.leafHash(abi.encodePacked(leaves[0], leaves[1]));
        // A proof from the node's level (15 siblings) is the wrong length...
        bytes memory shortened = new bytes(480);
        for (uint256 i; i < 480; ++i) {
            shortened[i] = proof[i + 32];
        }
        vm.expectRevert(abi.encodeWithSelector(MerkleLib.MerkleLib_BadProofLength.selector, 480));
        harness.verifyProof(forgedLeaf, 0, root, shortened);
        // ...and padded back to 16 levels it does not reach the root.
        assertFalse(harness.verifyProof(forgedLeaf, 0, root, abi.encodePacked(bytes32(0), shortened)));
        // The genuine leaf still verifies.
        assertTrue(harness.verifyProof(leaves[0], 0, root, proof));
    }
}
