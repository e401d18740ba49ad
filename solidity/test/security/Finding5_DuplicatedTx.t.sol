// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CommonTest} from "../shared/CommonTest.sol";
import {TxBuilder} from "../shared/TxBuilder.sol";
import {IStandardExitGame} from "../../src/interfaces/IStandardExitGame.sol";

/// @notice Finding 5 (issue 9, protocol lesson 13): the same transaction included twice and
///         exited twice, because the exit id was the position. The exit id is the output's
///         id, keccak256(keccak256(txBytes) ‖ oindex): a second copy of the transaction, at
///         another index or in another block, is the same output.
/// @dev Seen failing on the old rule (src mutation keying the exit by utxoPos, then
///      restored): the second exit starts and the output is paid twice.
contract Finding5_DuplicatedTx_Test is CommonTest {
    bytes internal payment;

    function setUp() public override {
        super.setUp();
        payment = TxBuilder.payment1(TxBuilder.position(1, 0, 0), bob, address(0), 1 ether);
    }

    function test_finding5_sameBlockTwoIndices_reverts() public {
        bytes32[] memory leaves = new bytes32[](2);
        leaves[0] = TxBuilder.leaf(payment);
        leaves[1] = TxBuilder.leaf(payment);
        (bytes32 root, bytes memory proof0) = TxBuilder.rootAndProof(leaves, 0);
        (, bytes memory proof1) = TxBuilder.rootAndProof(leaves, 1);
        vm.prank(operator);
        rootChain.submitBlock(root);

        vm.prank(bob);
        rootChain.startStandardExit{value: EXIT_BOND}(TxBuilder.position(1000, 0, 0), payment, proof0, block.timestamp);
        bytes32 exitId = _exitId(payment, 0);
        vm.expectRevert(abi.encodeWithSelector(IStandardExitGame.RootChain_ExitExists.selector, exitId));
        vm.prank(bob);
        rootChain.startStandardExit{value: EXIT_BOND}(TxBuilder.position(1000, 1, 0), payment, proof1, block.timestamp);
        assertEq(rootChain.exitQueueLength(address(0)), 1);
    }

    function test_finding5_twoBlocks_reverts() public {
        Committed memory first = _submit(payment);
        Committed memory second = _submit(payment);
        assertEq(second.blknum, first.blknum + 1000);
        _startExit(bob, first, 0);
        vm.expectRevert(abi.encodeWithSelector(IStandardExitGame.RootChain_ExitExists.selector, _exitId(payment, 0)));
        _startExit(bob, second, 0);
        assertEq(rootChain.exitQueueLength(address(0)), 1);
    }
}
