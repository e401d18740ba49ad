// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {CommonTest} from "../shared/CommonTest.sol";
import {IRootChain} from "../../src/interfaces/IRootChain.sol";
import {IPlasmaFramework} from "../../src/interfaces/IPlasmaFramework.sol";
import {ReentrantToken} from "../mocks/HostileTokens.sol";

/// @notice Lesson 6: deposit blocks written past the child-block interval (reentrancy in deposit).
/// @dev A token re-enters depositToken from transferFrom. With the nonReentrant guard the
///      nested call fails with ReentrancyGuardReentrantCall and the outer deposit takes the
///      last free deposit number. Without the guard, (a) near the limit the nested deposit
///      consumes number 999 and the outer call reverts with TooManyDeposits, and (b) away from
///      the limit the outer call's balance delta also counts the nested deposit's tokens, a
///      double credit; both tests fail then. The 999 bound itself is checked at allocation
///      time, after every external call, so no ordering of calls writes block 1000.
contract Lesson6_DepositBlockBound_Test is CommonTest {
    ReentrantToken internal evil;

    function setUp() public override {
        super.setUp();
        evil = new ReentrantToken();
        evil.mint(alice, 100 ether);
        vm.prank(alice);
        evil.approve(address(rootChain), type(uint256).max);
    }

    function test_lesson6_reentryAtLimit_reverts() public {
        for (uint256 i; i < 998; ++i) {
            rootChain.depositETH{value: 1}(bob);
        }
        assertEq(rootChain.nextDepositBlock(), 999);
        evil.arm(rootChain, 1 ether);
        vm.prank(alice);
        rootChain.depositToken(alice, address(evil), 1 ether);
        assertFalse(evil.reentered());
        assertEq(bytes4(evil.reentryError()), ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);
        assertEq(rootChain.nextDepositBlock(), 1000);
        assertEq(rootChain.blocks(1000), bytes32(0));
        vm.expectRevert(abi.encodeWithSelector(IPlasmaFramework.RootChain_TooManyDeposits.selector, 1000));
        rootChain.depositETH{value: 1}(bob);
        // The child block still gets number 1000.
        vm.prank(operator);
        rootChain.submitBlock(bytes32(uint256(1)));
        assertEq(rootChain.nextChildBlock(), 2000);
    }

    function test_lesson6_reentryNoDoubleCredit_succeeds() public {
        evil.arm(rootChain, 1 ether);
        vm.recordLogs();
        vm.prank(alice);
        rootChain.depositToken(alice, address(evil), 1 ether);
        assertFalse(evil.reentered());
        // Exactly one deposit of exactly 1 ether, fully backed.
        assertEq(rootChain.nextDepositBlock(), 2);
        assertEq(evil.balanceOf(address(rootChain)), 1 ether);
        assertEq(vm.getRecordedLogs().length, 2); // Transfer + DepositCreated
    }
}
