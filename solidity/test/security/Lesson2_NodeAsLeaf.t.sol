// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";

import {CoreHarness} from "../../src/harness/CoreHarness.sol";
import {MerkleLib} from "../../src/lib/MerkleLib.sol";
import {TxBuilder} from "../shared/TxBuilder.sol";

/// @notice Lesson 2: second preimage of an inner node presented as a leaf.
/// @dev The attack: an inner node N = H(a ‖ b) of a real block; an attacker presents the 64
///      bytes `a ‖ b` as a "transaction" whose leaf would be H(a ‖ b) = N, and proves it from
///      N's level. The 0x00 leaf / 0x01 node salts make the leaf of `a ‖ b` differ from N;
///      with equal (or no) salts `test_lesson2_nodePreimageAsLeaf_reverts` fails at its first
///      assertion. The fixed depth (exact 512-byte proof) independently rejects the shortened
///      path, which the second half of the test shows.
contract Lesson2_NodeAsLeaf_Test is Test {
    CoreHarness internal harness = new CoreHarness();

    function test_lesson2_nodePreimageAsLeaf_reverts() public {
        bytes32[] memory leaves = new bytes32[](2);
        leaves[0] = TxBuilder.leaf("tx0");
        leaves[1] = TxBuilder.leaf("tx1");
        (bytes32 root, bytes memory proof) = TxBuilder.rootAndProof(leaves, 0);
        bytes memory nodePreimage = abi.encodePacked(leaves[0], leaves[1]);
        bytes32 node = TxBuilder.node(leaves[0], leaves[1]);

        // The salted leaf of the preimage is not the node.
        bytes32 forgedLeaf = harness.leafHash(nodePreimage);
        assertTrue(forgedLeaf != node);

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
