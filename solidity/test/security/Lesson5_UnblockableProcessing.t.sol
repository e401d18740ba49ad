// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CommonTest} from "../shared/CommonTest.sol";
import {TxBuilder} from "../shared/TxBuilder.sol";
import {IRootChain} from "../../src/interfaces/IRootChain.sol";
import {IStandardExitGame} from "../../src/interfaces/IStandardExitGame.sol";
import {IPlasmaFramework} from "../../src/interfaces/IPlasmaFramework.sol";
import {ExitAgent, GasBurningReceiver, RevertingReceiver} from "../mocks/ExitAgent.sol";
import {FalseToken, GasBurningToken, ReturnBombToken} from "../mocks/HostileTokens.sol";

/// @notice Lesson 5: processExits frozen by a reverting or gas-burning receiver or a malicious token.
/// @dev Each test queues a hostile exit AHEAD of an honest one and processes both in one call.
///      Without SafePay's bounded, non-reverting transfers (e.g. with Address.sendValue or
///      SafeERC20.safeTransfer) the call reverts or runs out of gas, the honest exit is never
///      paid, and the assertions on its payout fail. The gas bound asserts that a hostile
///      receiver costs at most its stipend.
contract Lesson5_UnblockableProcessing_Test is CommonTest {
    uint256 internal constant GAS_LIMIT = 1_000_000;

    /// @notice Queues a hostile ETH exit first, then alice's honest one.
    function _queueEth(ExitAgent hostile) internal returns (uint64 hostilePos, uint64 honestPos) {
        vm.deal(address(hostile), 1 ether);
        Committed memory d1 = _depositETH(address(hostile), 1 ether);
        hostilePos = _track(d1, 0);
        hostile.exit{value: EXIT_BOND}(rootChain, hostilePos, d1.txBytes, d1.proof, d1.timestamp);
        vm.warp(block.timestamp + 1);
        honestPos = _startExit(alice, _depositETH(alice, 2 ether), 0);
        vm.warp(block.timestamp + MIN_EXIT_PERIOD);
    }

    function _processBoth(address token) internal returns (uint256 gasUsed) {
        uint256 before = gasleft();
        vm.prank(carol);
        assertEq(rootChain.processExits{gas: GAS_LIMIT}(token, 2), 2);
        gasUsed = before - gasleft();
    }

    function test_lesson5_revertingReceiver_succeeds() public {
        RevertingReceiver hostile = new RevertingReceiver();
        (uint64 hostilePos, uint64 honestPos) = _queueEth(hostile);
        uint256 aliceBefore = alice.balance;
        _processBoth(address(0));
        assertEq(alice.balance, aliceBefore + 2 ether + EXIT_BOND - PROCESS_BOUNTY);
        assertEq(_statusAt(hostilePos), 3);
        assertEq(_statusAt(honestPos), 3);
        assertEq(rootChain.withdrawable(address(hostile), address(0)), 1 ether + EXIT_BOND - PROCESS_BOUNTY);
    }

    function test_lesson5_gasBurningReceiver_succeeds() public {
        GasBurningReceiver hostile = new GasBurningReceiver();
        (, uint64 honestPos) = _queueEth(hostile);
        uint256 aliceBefore = alice.balance;
        uint256 gasUsed = _processBoth(address(0));
        assertEq(alice.balance, aliceBefore + 2 ether + EXIT_BOND - PROCESS_BOUNTY);
        assertEq(_statusAt(honestPos), 3);
        // The burner got its stipend (30,000 + 2,300) and no more.
        assertLt(gasUsed, 150_000);
    }

    function _queueToken(address bad) internal returns (uint64 honestPos) {
        // bob's exit first, then alice's, both on the hostile token: the token itself is
        // hostile, so what matters is that the queue moves and the ETH part is still paid.
        _startExit(bob, _mintAndDeposit(bob, bad, 4 ether), 0);
        vm.warp(block.timestamp + 1);
        honestPos = _startExit(alice, _mintAndDeposit(alice, bad, 1 ether), 0);
        vm.warp(block.timestamp + MIN_EXIT_PERIOD);
    }

    function _checkHostileToken(address bad) internal {
        uint64 honestPos = _queueToken(bad);
        uint256 aliceEth = alice.balance;
        uint256 gasUsed = _processBoth(bad);
        assertEq(_statusAt(honestPos), 3);
        // Token payouts failed and wait in withdrawable; the ETH bond refunds went out.
        assertEq(rootChain.withdrawable(bob, bad), 4 ether);
        assertEq(rootChain.withdrawable(alice, bad), 1 ether);
        assertEq(alice.balance, aliceEth + EXIT_BOND - PROCESS_BOUNTY);
        assertLt(gasUsed, 400_000);
    }

    function test_lesson5_falseReturningToken_succeeds() public {
        _checkHostileToken(address(new FalseToken()));
    }

    function test_lesson5_returnBombToken_succeeds() public {
        _checkHostileToken(address(new ReturnBombToken()));
    }

    function test_lesson5_gasBurningToken_succeeds() public {
        _checkHostileToken(address(new GasBurningToken()));
    }

    function test_lesson5_deferredPayoutEvent_succeeds() public {
        RevertingReceiver hostile = new RevertingReceiver();
        (uint64 hostilePos,) = _queueEth(hostile);
        vm.expectEmit(address(rootChain));
        emit IPlasmaFramework.PayoutDeferred(address(hostile), address(0), 1 ether + EXIT_BOND - PROCESS_BOUNTY);
        vm.expectEmit(address(rootChain));
        emit IStandardExitGame.ExitProcessed(exitIdOf[hostilePos], hostilePos, address(hostile), address(0), 1 ether, true);
        rootChain.processExits(address(0), 1);
    }
}
