// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IInFlightExitTypes} from "../../../src/interfaces/IInFlightExitGame.sol";
import {TxBuilder} from "../../shared/TxBuilder.sol";
import {InFlightExitSetup} from "./InFlightExitSetup.sol";

contract InFlightExit_PiggybackOnOutput_Test is InFlightExitSetup {
    function test_piggybackOnOutput_first_succeeds() public {
        (, bytes memory inFlightTx, bytes32 exitId) = _startAlicePaysBob();
        vm.expectEmit(address(rootChain));
        emit IInFlightExitTypes.InFlightExitPiggybacked(exitId, bob, true, 0, address(0), 0.6 ether);
        _piggybackOutput(bob, inFlightTx, 0);
        IInFlightExitTypes.InFlightExitView memory v = _view(exitId);
        assertEq(v.piggybacked, 1 << 4);
        assertEq(v.everPiggybacked, 1 << 4);
        assertEq(v.pendingTokens, 1);
        assertEq(rootChain.bondsHeld(), ifeBond + piggybackBond);
        assertEq(rootChain.exitQueueLength(address(0)), 1);
        (uint64 exitableAt, uint64 pos, uint8 gameId) = rootChain.nextExit(address(0));
        assertEq(exitableAt, v.exitableAt);
        assertEq(pos, v.youngestPos);
        assertEq(gameId, 2);
        (address owner, address tok, uint256 amount) = rootChain.inFlightExitPiggyback(exitId, 4);
        assertEq(owner, bob);
        assertEq(tok, address(0));
        assertEq(amount, 0.6 ether);
    }

    function test_piggybackOnOutput_laterSameToken_doesNotEnqueue_succeeds() public {
        (, bytes memory inFlightTx, bytes32 exitId) = _startAlicePaysBob();
        _piggybackOutput(bob, inFlightTx, 0);
        _piggybackOutput(alice, inFlightTx, 1);
        assertEq(rootChain.exitQueueLength(address(0)), 1);
        assertEq(_view(exitId).pendingTokens, 1);
        assertEq(_view(exitId).piggybacked, 3 << 4);
    }

    function test_piggybackOnOutput_bigAmount_succeeds() public {
        // An output above 2^96 is recorded in full (no truncation).
        Utxo memory dep = _depositETH(alice, 1 ether);
        uint256 big = uint256(type(uint96).max) + 5;
        Included memory inc = _submit1(TxBuilder.payment1(dep.pos, alice, address(0), big));
        bytes memory inFlightTx = TxBuilder.payment1(inc.txPos, bob, address(0), big);
        bytes32 exitId = _start(bob, _args(inFlightTx, _one(_utxo(inc, 0)), _keys1(aliceKey)));
        _piggybackOutput(bob, inFlightTx, 0);
        (,, uint256 amount) = rootChain.inFlightExitPiggyback(exitId, 4);
        assertEq(amount, big);
    }

    function test_piggybackOnOutput_badBond_reverts() public {
        (, bytes memory inFlightTx,) = _startAlicePaysBob();
        vm.expectRevert(
            abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_BadBond.selector, piggybackBond + 1, piggybackBond)
        );
        vm.prank(bob);
        rootChain.piggybackInFlightExitOnOutput{value: piggybackBond + 1}(inFlightTx, 0);
    }

    function test_piggybackOnOutput_notFound_reverts() public {
        (, bytes memory inFlightTx) = _alicePaysBob();
        vm.expectRevert(
            abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_NotFound.selector, keccak256(inFlightTx))
        );
        _piggybackOutput(bob, inFlightTx, 0);
    }

    function test_piggybackOnOutput_afterFirstPhase_reverts() public {
        (, bytes memory inFlightTx, bytes32 exitId) = _startAlicePaysBob();
        vm.warp(block.timestamp + MEP / 2);
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_FirstPhaseOver.selector, exitId));
        _piggybackOutput(bob, inFlightTx, 0);
        assertEq(rootChain.exitQueueLength(address(0)), 0);
    }

    function test_piggybackOnOutput_lastSecondOfFirstPhase_succeeds() public {
        (, bytes memory inFlightTx,) = _startAlicePaysBob();
        vm.warp(block.timestamp + MEP / 2 - 1);
        _piggybackOutput(bob, inFlightTx, 0);
    }

    function test_piggybackOnOutput_badIndex_reverts() public {
        (, bytes memory inFlightTx,) = _startAlicePaysBob();
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_BadIndex.selector, 2));
        _piggybackOutput(bob, inFlightTx, 2);
    }

    function test_piggybackOnOutput_twice_reverts() public {
        (, bytes memory inFlightTx, bytes32 exitId) = _startAlicePaysBob();
        _piggybackOutput(bob, inFlightTx, 0);
        vm.expectRevert(
            abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_AlreadyPiggybacked.selector, exitId, true, 0)
        );
        _piggybackOutput(bob, inFlightTx, 0);
        assertEq(rootChain.bondsHeld(), ifeBond + piggybackBond);
    }

    function test_piggybackOnOutput_notOwner_reverts() public {
        (, bytes memory inFlightTx,) = _startAlicePaysBob();
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_NotOwner.selector, alice, bob));
        _piggybackOutput(alice, inFlightTx, 0);
    }

    function test_piggybackOnOutput_outputExited_reverts() public {
        // The in-flight tx was included and its output standard-exited and paid first.
        Utxo memory dep = _depositETH(alice, 1 ether);
        bytes memory inFlightTx = TxBuilder.payment1(dep.pos, bob, address(0), 1 ether);
        Included memory inc = _submit1(inFlightTx);
        vm.prank(bob);
        rootChain.startStandardExit{value: exitBond}(inc.txPos, inFlightTx, inc.proof, inc.timestamp);
        vm.warp(block.timestamp + 2 * MEP);
        rootChain.processExits(address(0), 1);
        _start(bob, _args(inFlightTx, _one(dep), _keys1(aliceKey)));
        vm.expectRevert(
            abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_OutputExited.selector, _outputId(inFlightTx, 0))
        );
        _piggybackOutput(bob, inFlightTx, 0);
    }
}

contract InFlightExit_PiggybackOnInput_Test is InFlightExitSetup {
    function test_piggybackOnInput_succeeds() public {
        (Utxo memory dep,, bytes32 exitId) = _startAlicePaysBob();
        vm.expectEmit(address(rootChain));
        emit IInFlightExitTypes.InFlightExitPiggybacked(exitId, alice, false, 0, address(0), 1 ether);
        _piggybackInput(alice, exitId, 0, dep.txBytes);
        assertEq(_view(exitId).piggybacked, 1);
        assertEq(rootChain.exitQueueLength(address(0)), 1);
        (address owner,, uint256 amount) = rootChain.inFlightExitPiggyback(exitId, 0);
        assertEq(owner, alice);
        assertEq(amount, 1 ether);
    }

    function test_piggybackOnInput_secondTokenEnqueues_succeeds() public {
        Utxo memory eth = _depositETH(alice, 1 ether);
        Utxo memory tok = _depositToken(alice, 5 ether);
        TxBuilder.Out[] memory o = new TxBuilder.Out[](2);
        o[0] = TxBuilder.Out(bob, address(0), 1 ether);
        o[1] = TxBuilder.Out(bob, address(token), 5 ether);
        bytes memory inFlightTx = TxBuilder.payment(_inputsOf(_two(eth, tok)), o);
        bytes32 exitId = _start(alice, _args(inFlightTx, _two(eth, tok), _keys2(aliceKey, aliceKey)));
        _piggybackInput(alice, exitId, 0, eth.txBytes);
        _piggybackInput(alice, exitId, 1, tok.txBytes);
        _piggybackOutput(bob, inFlightTx, 1);
        assertEq(rootChain.exitQueueLength(address(0)), 1);
        assertEq(rootChain.exitQueueLength(address(token)), 1);
        assertEq(_view(exitId).pendingTokens, 2);
    }

    function test_piggybackOnInput_inputTxMismatch_reverts() public {
        (,, bytes32 exitId) = _startAlicePaysBob();
        bytes memory other = TxBuilder.deposit(1, alice, address(0), 2 ether);
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_InputTxMismatch.selector, 0));
        _piggybackInput(alice, exitId, 0, other);
    }

    function test_piggybackOnInput_notOwner_reverts() public {
        (Utxo memory dep,, bytes32 exitId) = _startAlicePaysBob();
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_NotOwner.selector, bob, alice));
        _piggybackInput(bob, exitId, 0, dep.txBytes);
    }

    function test_piggybackOnInput_badIndex_reverts() public {
        (Utxo memory dep,, bytes32 exitId) = _startAlicePaysBob();
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_BadIndex.selector, 1));
        _piggybackInput(alice, exitId, 1, dep.txBytes);
    }

    function test_piggybackOnInput_twice_reverts() public {
        (Utxo memory dep,, bytes32 exitId) = _startAlicePaysBob();
        _piggybackInput(alice, exitId, 0, dep.txBytes);
        vm.expectRevert(
            abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_AlreadyPiggybacked.selector, exitId, false, 0)
        );
        _piggybackInput(alice, exitId, 0, dep.txBytes);
    }

    function test_piggybackOnInput_afterFirstPhase_reverts() public {
        (Utxo memory dep,, bytes32 exitId) = _startAlicePaysBob();
        vm.warp(block.timestamp + MEP);
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_FirstPhaseOver.selector, exitId));
        _piggybackInput(alice, exitId, 0, dep.txBytes);
    }

    function test_piggybackOnInput_inputExited_reverts() public {
        // Alice standard-exits her deposit and is paid before piggybacking it.
        (Utxo memory dep, bytes memory inFlightTx) = _alicePaysBob();
        vm.prank(alice);
        rootChain.startStandardExit{value: exitBond}(dep.pos, dep.txBytes, dep.proof, dep.timestamp);
        vm.warp(block.timestamp + MEP);
        rootChain.processExits(address(0), 1);
        bytes32 exitId = _start(bob, _args(inFlightTx, _one(dep), _keys1(aliceKey)));
        vm.expectRevert(
            abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_OutputExited.selector, _outputId(dep.txBytes, 0))
        );
        _piggybackInput(alice, exitId, 0, dep.txBytes);
    }

    function test_piggybackOnInput_notFound_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_NotFound.selector, bytes32(uint256(1))));
        _piggybackInput(alice, bytes32(uint256(1)), 0, hex"");
    }
}
