// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CommonTest} from "../shared/CommonTest.sol";
import {TxBuilder} from "../shared/TxBuilder.sol";
import {IRootChain} from "../../src/interfaces/IRootChain.sol";
import {IPlasmaFramework} from "../../src/interfaces/IPlasmaFramework.sol";
import {RevertingReceiver} from "../mocks/ExitAgent.sol";
import {FalseToken} from "../mocks/HostileTokens.sol";

contract Payouts_Withdraw_Test is CommonTest {
    RevertingReceiver internal receiver;
    uint256 internal owed;

    function setUp() public override {
        super.setUp();
        receiver = new RevertingReceiver();
        vm.deal(address(receiver), 1 ether);
        Committed memory dep = _depositETH(address(receiver), 1 ether);
        receiver.exit{value: EXIT_BOND}(
            rootChain, TxBuilder.position(dep.blknum, 0, 0), dep.txBytes, dep.proof, dep.timestamp
        );
        vm.warp(block.timestamp + MIN_EXIT_PERIOD);
        rootChain.processExits(address(0), 1);
        owed = 1 ether + EXIT_BOND - PROCESS_BOUNTY;
    }

    function test_withdraw_deferredETH_succeeds() public {
        receiver.setOpen(true);
        uint256 before = address(receiver).balance;
        vm.expectEmit(address(rootChain));
        emit IPlasmaFramework.Withdrawn(address(receiver), address(0), owed);
        receiver.withdraw(rootChain, address(0));
        assertEq(address(receiver).balance, before + owed);
        assertEq(rootChain.withdrawable(address(receiver), address(0)), 0);
    }

    function test_withdraw_stillFailing_reverts() public {
        vm.expectRevert(
            abi.encodeWithSelector(IPlasmaFramework.RootChain_WithdrawFailed.selector, address(receiver), address(0))
        );
        receiver.withdraw(rootChain, address(0));
        assertEq(rootChain.withdrawable(address(receiver), address(0)), owed);
    }

    function test_withdraw_nothing_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(IPlasmaFramework.RootChain_NothingToWithdraw.selector, alice, address(0)));
        vm.prank(alice);
        rootChain.withdraw(address(0));
    }

    function test_withdraw_falseToken_reverts() public {
        FalseToken bad = new FalseToken();
        // Exit it; the token payout fails and is deferred, and withdrawing fails too.
        _startExit(alice, _mintAndDeposit(alice, address(bad), 1 ether), 0);
        vm.warp(block.timestamp + MIN_EXIT_PERIOD);
        rootChain.processExits(address(bad), 1);
        assertEq(rootChain.withdrawable(alice, address(bad)), 1 ether);
        vm.expectRevert(abi.encodeWithSelector(IPlasmaFramework.RootChain_WithdrawFailed.selector, alice, address(bad)));
        vm.prank(alice);
        rootChain.withdraw(address(bad));
    }
}
