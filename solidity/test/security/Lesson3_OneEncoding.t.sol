// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CommonTest} from "../shared/CommonTest.sol";
import {TxBuilder} from "../shared/TxBuilder.sol";
import {IRootChain} from "../../src/interfaces/IRootChain.sol";
import {IStandardExitGame} from "../../src/interfaces/IStandardExitGame.sol";
import {TxLib} from "../../src/lib/TxLib.sol";

/// @notice Lesson 3: several encodings of one transaction gave several exit ids for one output.
/// @dev A (malicious) operator includes the canonical payment at index 0 and the same payment
///      with a trailing byte at index 1. With a lax decoder, the second copy is exitable at
///      position (blk, 1, 0): a second exit of the same money. The decoder's exact-length
///      rule (SPEC rule 5) rejects it; without it `expectRevert` fails. Reordered inputs are
///      the other classic alias, rejected by rule 7 (strictly increasing inputs).
contract Lesson3_OneEncoding_Test is CommonTest {
    function test_lesson3_trailingByteCopy_reverts() public {
        bytes memory canonical = TxBuilder.payment1(TxBuilder.position(1, 0, 0), alice, address(0), 1 ether);
        bytes memory padded = abi.encodePacked(canonical, bytes1(0));
        bytes32[] memory leaves = new bytes32[](2);
        leaves[0] = TxBuilder.leaf(canonical);
        leaves[1] = TxBuilder.leaf(padded);
        (bytes32 root, bytes memory proof0) = TxBuilder.rootAndProof(leaves, 0);
        (, bytes memory proof1) = TxBuilder.rootAndProof(leaves, 1);
        vm.prank(operator);
        rootChain.submitBlock(root);

        vm.prank(alice);
        rootChain.startStandardExit{value: EXIT_BOND}(
            TxBuilder.position(1000, 0, 0), canonical, proof0, block.timestamp
        );
        vm.expectRevert(abi.encodeWithSelector(TxLib.TxLib_BadLength.selector, 115, 116));
        vm.prank(alice);
        rootChain.startStandardExit{value: EXIT_BOND}(TxBuilder.position(1000, 1, 0), padded, proof1, block.timestamp);
        assertEq(rootChain.exitQueueLength(address(0)), 1);
    }

    function test_lesson3_reorderedInputs_reverts() public {
        uint64[] memory inputs = new uint64[](2);
        inputs[0] = TxBuilder.position(2, 0, 0);
        inputs[1] = TxBuilder.position(1, 0, 0);
        bytes memory reordered = TxBuilder.payment(inputs, TxBuilder.outs1(alice, address(0), 1 ether));
        Committed memory c = _submit(reordered);
        vm.expectRevert(abi.encodeWithSelector(TxLib.TxLib_InputsNotIncreasing.selector, 1));
        _startExit(alice, c, 0);
    }

    function test_lesson3_oneExitPerOutput_reverts() public {
        Committed memory dep = _depositETH(alice, 1 ether);
        uint64 pos = _startExit(alice, dep, 0);
        bytes memory spend = TxBuilder.payment1(pos, bob, address(0), 1 ether);
        rootChain.challengeStandardExit(pos, spend, 0, _sign(aliceKey, spend), carol);
        // Even after a challenge the exit id stays taken.
        vm.expectRevert(abi.encodeWithSelector(IStandardExitGame.RootChain_ExitExists.selector, _exitId(dep.txBytes, 0)));
        _startExit(alice, dep, 0);
    }
}
