// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CommonTest} from "../shared/CommonTest.sol";
import {TxBuilder} from "../shared/TxBuilder.sol";
import {MerkleLib} from "../../src/lib/MerkleLib.sol";

/// @notice Lesson 1: a leaf provable at two indices (index not bounded) allowed a double exit.
/// @dev A position's txindex field holds values up to 99,999, so (blk, 65,536, o) is a second
///      name for (blk, 0, o) if the verifier only looks at the low 16 bits of the index.
///      Without the `index >= 65,536` check in MerkleLib.computeRoot the second exit starts
///      and `expectRevert` fails.
contract Lesson1_LeafAtTwoIndices_Test is CommonTest {
    function test_lesson1_aliasIndex_reverts() public {
        Committed memory pay = _submit(TxBuilder.payment1(TxBuilder.position(1, 0, 0), alice, address(0), 1 ether));
        _startExit(alice, pay, 0);
        uint64 alias_ = uint64(pay.blknum * 1e9 + 65_536 * 1e4);
        vm.expectRevert(abi.encodeWithSelector(MerkleLib.MerkleLib_IndexOutOfRange.selector, 65_536));
        vm.prank(alice);
        rootChain.startStandardExit{value: EXIT_BOND}(alias_, pay.txBytes, pay.proof, pay.timestamp);
        assertEq(rootChain.exitQueueLength(address(0)), 1);
    }
}
