// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IInFlightExitTypes} from "../../../src/interfaces/IInFlightExitGame.sol";
import {IPlasmaFramework} from "../../../src/interfaces/IPlasmaFramework.sol";
import {IRootChain} from "../../../src/interfaces/IRootChain.sol";
import {ExitQueueLib} from "../../../src/lib/ExitQueueLib.sol";
import {TxBuilder} from "../../shared/TxBuilder.sol";
import {InFlightExitChallengeSetup} from "./InFlightExitChallenges.t.sol";

/// @notice An output owner whose ETH transfers always fail: its payouts are deferred.
contract EthRejecter {
    function piggyback(IRootChain rc, bytes calldata inFlightTx, uint8 index) external payable {
        rc.piggybackInFlightExitOnOutput{value: msg.value}(inFlightTx, index);
    }

    function withdraw(IRootChain rc) external {
        rc.withdraw(address(0));
    }
}

contract InFlightExit_Misc_Test is InFlightExitChallengeSetup {
    function test_modules_directCalls_revert() public {
        vm.expectRevert(abi.encodeWithSignature("RootChain_NotDelegateCall()"));
        ifeGame.processExit(address(0), 1, 0);
        vm.expectRevert(abi.encodeWithSignature("RootChain_NotDelegateCall()"));
        ifeChallenges.respondToNonCanonicalChallenge(inFlightTx, 1, hex"", 0);
        vm.expectRevert(abi.encodeWithSignature("RootChain_NotDelegateCall()"));
        ifeGame.piggybackInFlightExitOnOutput(inFlightTx, 0);
    }

    function test_processExit_notRouted_reverts() public {
        vm.expectRevert(
            abi.encodeWithSelector(IPlasmaFramework.RootChain_UnknownSelector.selector, ifeGame.processExit.selector)
        );
        (bool ok,) = address(rootChain).call(abi.encodeCall(ifeGame.processExit, (address(0), 1, 0)));
        ok;
    }

    function test_inFlightExit_unknown_isEmpty() public view {
        IInFlightExitTypes.InFlightExitView memory v = _view(bytes32(uint256(5)));
        assertEq(v.bondOwner, address(0));
        assertEq(v.numInputs, 0);
        assertEq(v.inputIds.length, 0);
    }

    function test_piggybackOnInput_badBond_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_BadBond.selector, 0, piggybackBond));
        vm.prank(alice);
        rootChain.piggybackInFlightExitOnInput(exitId, 0, dep.txBytes);
    }

    function test_challengeInputSpent_notFound_reverts() public {
        bytes memory sig = _sign(aliceKey, competingTx);
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_NotFound.selector, bytes32(uint256(3))));
        rootChain.challengeInFlightExitInputSpent(bytes32(uint256(3)), 0, competingTx, 0, sig, watcher);
    }

    function test_challengeOutputSpent_zeroChallengerAndBadPosition_revert() public {
        Included memory mine = _submit1(inFlightTx);
        _piggybackOutput(bob, inFlightTx, 0);
        bytes memory spend = TxBuilder.payment1(mine.txPos, carol, address(0), 0.6 ether);
        IInFlightExitTypes.OutputSpentChallenge memory c;
        c.inFlightTx = inFlightTx;
        c.inFlightTxPos = mine.txPos;
        c.inFlightTxProof = mine.proof;
        c.blockTimestamp = mine.timestamp;
        c.spendingTx = spend;
        c.signature = _sign(bobKey, spend);
        vm.expectRevert(IInFlightExitTypes.InFlightExit_ZeroReceiver.selector);
        rootChain.challengeInFlightExitOutputSpent(c);
        c.challenger = watcher;
        c.inFlightTxPos = mine.txPos + 2;
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_BadTxPosition.selector, mine.txPos + 2));
        rootChain.challengeInFlightExitOutputSpent(c);
        assertEq(_view(exitId).piggybacked, 1 << 4);
    }

    /// @notice A receiver whose transfers fail never blocks processing: its payout and bond
    ///         refund are reserved and withdrawable later.
    function test_process_failedPayout_deferred() public {
        EthRejecter r = new EthRejecter();
        bytes memory payTx = TxBuilder.payment1(dep.pos, address(r), address(0), 1 ether);
        bytes32 id = _start(alice, _args(payTx, _one(dep), _keys1(aliceKey)));
        vm.deal(address(this), piggybackBond);
        r.piggyback{value: piggybackBond}(rootChain, payTx, 0);
        vm.warp(_view(id).exitableAt);
        vm.expectEmit(address(rootChain));
        emit IPlasmaFramework.PayoutDeferred(address(r), address(0), 1 ether + 2 * spentShare);
        _process(address(0));
        assertEq(rootChain.withdrawable(address(r), address(0)), 1 ether + 2 * spentShare);
        assertEq(rootChain.reserved(address(0)), 1 ether + 2 * spentShare);
        assertTrue(_view(id).finalized);
    }

    /// @notice Amounts above the 96-bit field and the budget: paid capped, never reverting.
    function testFuzz_process_anyAmount_neverReverts(uint256 amount) public {
        amount = bound(amount, 1, type(uint256).max);
        Included memory inc = _submit1(TxBuilder.payment1(dep.pos, carol, address(0), amount));
        bytes memory payTx = TxBuilder.payment1(inc.txPos, bob, address(0), amount);
        bytes32 id = _start(bob, _args(payTx, _one(_utxo(inc, 0)), _keys1(carolKey)));
        _piggybackOutput(bob, payTx, 0);
        (,, uint256 recorded) = rootChain.inFlightExitPiggyback(id, 4);
        assertEq(recorded, amount);
        uint256 bob0 = bob.balance;
        vm.warp(_view(id).exitableAt);
        _process(address(0));
        // The vault held alice's 1 ETH for exits: bob gets at most that.
        uint256 expected = amount < 1 ether ? amount : 1 ether;
        assertEq(bob.balance - bob0, expected + 2 * spentShare + canonicityShare);
    }

    function test_process_anyAmount_fixed() public {
        testFuzz_process_anyAmount_neverReverts(type(uint256).max);
    }

    /// @notice The queue key of an in-flight exit: its exit time, its youngest input, game 2.
    function test_queueKey_layout() public {
        _piggybackOutput(bob, inFlightTx, 0);
        (uint64 at, uint64 pos, uint8 game) = rootChain.nextExit(address(0));
        IInFlightExitTypes.InFlightExitView memory v = _view(exitId);
        assertEq(ExitQueueLib.key(at, pos, game, v.nonce), ExitQueueLib.key(v.exitableAt, v.youngestPos, 2, v.nonce));
    }
}
