// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IInFlightExitTypes} from "../../../src/interfaces/IInFlightExitGame.sol";
import {TxBuilder} from "../../shared/TxBuilder.sol";
import {InFlightExitChallengeSetup} from "./InFlightExitChallenges.t.sol";

contract InFlightExit_Process_Test is InFlightExitChallengeSetup {
    address internal processor = makeAddr("processor");

    function _processMatured(address tok) internal returns (uint256 n) {
        vm.warp(_view(exitId).exitableAt);
        vm.prank(processor);
        n = rootChain.processExits(tok, 10);
    }

    function test_process_canonical_paysOutputsConsumesInputs_succeeds() public {
        _piggybackOutput(bob, inFlightTx, 0);
        _piggybackInput(alice, exitId, 0, dep.txBytes);
        uint256 bob0 = bob.balance;
        uint256 alice0 = alice.balance;
        vm.expectEmit(address(rootChain));
        emit IInFlightExitTypes.InFlightExitCanonicityDecided(exitId, true);
        vm.expectEmit(address(rootChain));
        emit IInFlightExitTypes.InFlightExitInputWithdrawn(exitId, alice, 0, address(0), 0, false);
        vm.expectEmit(address(rootChain));
        emit IInFlightExitTypes.InFlightExitOutputWithdrawn(exitId, bob, 0, address(0), 0.6 ether, false);
        vm.expectEmit(address(rootChain));
        emit IInFlightExitTypes.InFlightExitFinalized(exitId, alice);
        assertEq(_processMatured(address(0)), 1);

        assertEq(bob.balance, bob0 + 0.6 ether + 2 * spentShare);
        // Alice's input is consumed (not paid); her piggyback bond and the canonicity share return.
        assertEq(alice.balance, alice0 + 2 * spentShare + canonicityShare);
        assertEq(processor.balance, 3 * processBounty);
        assertEq(rootChain.bondsHeld(), 0);
        assertEq(_status(_outputId(dep.txBytes, 0)), 3);
        assertEq(_status(_outputId(inFlightTx, 0)), 3);
        // Alice's change output was not piggybacked: its record is untouched.
        assertEq(_status(_outputId(inFlightTx, 1)), 0);
        IInFlightExitTypes.InFlightExitView memory v = _view(exitId);
        assertTrue(v.finalized);
        assertTrue(v.canonical);
        assertEq(v.piggybacked, 0);
        // The input can no longer be standard-exited.
        vm.expectRevert();
        vm.prank(alice);
        rootChain.startStandardExit{value: exitBond}(dep.pos, dep.txBytes, dep.proof, dep.timestamp);
    }

    function test_process_nonCanonical_paysInputs_succeeds() public {
        _piggybackOutput(bob, inFlightTx, 0);
        _piggybackInput(alice, exitId, 0, dep.txBytes);
        _challenge(_challengeArgs(competingTx, aliceKey));
        uint256 bob0 = bob.balance;
        uint256 alice0 = alice.balance;
        uint256 watcher0 = watcher.balance;
        _processMatured(address(0));
        assertEq(bob.balance, bob0 + 2 * spentShare);
        assertEq(alice.balance, alice0 + 1 ether + 2 * spentShare);
        // The challenger won the canonicity game.
        assertEq(watcher.balance, watcher0 + canonicityShare);
        assertEq(_status(_outputId(dep.txBytes, 0)), 3);
        assertEq(_status(_outputId(inFlightTx, 0)), 0);
        assertEq(rootChain.bondsHeld(), 0);
    }

    function test_process_respondedChallenge_paysOutputs_succeeds() public {
        Included memory mine = _submit1(inFlightTx);
        _piggybackOutput(bob, inFlightTx, 0);
        _challenge(_challengeArgs(competingTx, aliceKey));
        _respond(mine, bob);
        uint256 bob0 = bob.balance;
        _processMatured(address(0));
        assertEq(bob.balance, bob0 + 0.6 ether + 2 * spentShare + canonicityShare);
    }

    function test_process_notMatured_doesNothing() public {
        _piggybackOutput(bob, inFlightTx, 0);
        vm.warp(_view(exitId).exitableAt - 1);
        assertEq(rootChain.processExits(address(0), 10), 0);
        assertEq(rootChain.exitQueueLength(address(0)), 1);
    }

    function test_process_challengedPiggybackOnly_finalizes() public {
        _piggybackInput(alice, exitId, 0, dep.txBytes);
        vm.prank(watcher);
        rootChain.challengeInFlightExitInputSpent(exitId, 0, competingTx, 0, _sign(aliceKey, competingTx), watcher);
        uint256 alice0 = alice.balance;
        _processMatured(address(0));
        assertEq(alice.balance, alice0 + canonicityShare);
        assertEq(processor.balance, processBounty);
        assertTrue(_view(exitId).finalized);
        assertEq(rootChain.bondsHeld(), 0);
    }

    function test_process_budgetCapsPayout() public {
        // The operator includes an inflating transaction (2 ETH out of a 1 ETH deposit) and
        // exits it in flight: it can only take what the vault holds, never more.
        Included memory inc = _submit1(TxBuilder.payment1(dep.pos, carol, address(0), 2 ether));
        bytes memory theft = TxBuilder.payment1(inc.txPos, carol, address(0), 2 ether);
        bytes32 theftId = _start(carol, _args(theft, _one(_utxo(inc, 0)), _keys1(carolKey)));
        _piggybackOutput(carol, theft, 0);
        uint256 carol0 = carol.balance;
        vm.warp(_view(theftId).exitableAt);
        rootChain.processExits(address(0), 10);
        // 1 ETH of deposits was available; the rest of the balance is bonds.
        assertEq(carol.balance, carol0 + 1 ether + 2 * spentShare + canonicityShare);
        assertEq(rootChain.bondsHeld(), ifeBond);
    }

    function test_process_mixedTokens_eachQueueItsOwn() public {
        Utxo memory eth = _depositETH(alice, 1 ether);
        Utxo memory tok = _depositToken(alice, 5 ether);
        TxBuilder.Out[] memory o = new TxBuilder.Out[](2);
        o[0] = TxBuilder.Out(bob, address(token), 5 ether);
        o[1] = TxBuilder.Out(bob, address(0), 1 ether);
        bytes memory mixed = TxBuilder.payment(_inputsOf(_two(eth, tok)), o);
        bytes32 id = _start(bob, _args(mixed, _two(eth, tok), _keys2(aliceKey, aliceKey)));
        _piggybackOutput(bob, mixed, 0);
        _piggybackOutput(bob, mixed, 1);
        vm.warp(_view(id).exitableAt);
        uint256 bob0 = bob.balance;
        rootChain.processExits(address(token), 10);
        // The token entry paid only the token output; the exit waits for its ETH entry.
        assertEq(token.balanceOf(bob), 1_000 ether + 5 ether);
        assertEq(bob.balance, bob0 + 2 * spentShare);
        assertFalse(_view(id).finalized);
        assertEq(_view(id).piggybacked, 1 << 5);
        rootChain.processExits(address(0), 10);
        assertEq(bob.balance, bob0 + 1 ether + 4 * spentShare + canonicityShare);
        assertTrue(_view(id).finalized);
    }

    /// @notice A second in-flight exit with the same youngest input takes the next nonce.
    function test_process_sameYoungestInput_distinctNonces() public {
        bytes memory second = TxBuilder.payment1(dep.pos, carol, address(0), 1 ether);
        bytes32 id2 = _start(alice, _args(second, _one(dep), _keys1(aliceKey)));
        assertEq(_view(exitId).nonce, 0);
        assertEq(_view(id2).nonce, 1);
        _piggybackOutput(bob, inFlightTx, 0);
        _piggybackOutput(carol, second, 0);
        assertEq(rootChain.exitQueueLength(address(0)), 2);
        uint256 bob0 = bob.balance;
        uint256 carol0 = carol.balance;
        vm.warp(_view(id2).exitableAt);
        rootChain.processExits(address(0), 10);
        // Both are canonical as far as the contract knows (nobody challenged), but the input
        // is consumed by the first processed: the second finds it EXITED and pays nothing.
        assertEq(bob.balance, bob0 + 0.6 ether + 2 * spentShare);
        assertEq(carol.balance, carol0 + 2 * spentShare);
    }
}
