// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CommonTest} from "../shared/CommonTest.sol";
import {RootChain} from "../../src/RootChain.sol";
import {IPlasmaFramework} from "../../src/interfaces/IPlasmaFramework.sol";

/// @notice Finding 6 (issue 9, protocol lesson 14): deposits blocked by filling the 999
///         deposit slots of an interval. The first FREE_DEPOSITS of an interval are free;
///         every later one pays a congestion fee (DEPOSIT_FEE_UNIT, doubling every
///         FEE_DOUBLING deposits), so a blockade of one interval costs 210,880 fee units
///         (6,326.4 ether at the 500 gwei bond gas price) and must be paid again after
///         every child block.
/// @dev Seen failing on the old rule (src mutation making depositFee() zero, then
///      restored): the blockade costs nothing and the fee assertions fail.
contract Finding6_DepositBlocking_Test is CommonTest {
    uint256 internal unit;

    function setUp() public override {
        super.setUp();
        // DEPOSIT_FEE_UNIT and DEPOSIT_GAS are not in IRootChain: read them off the contract.
        unit = RootChain(payable(address(rootChain))).DEPOSIT_FEE_UNIT();
    }

    function test_finding6_blockadeIsExpensive_succeeds() public {
        assertEq(unit, RootChain(payable(address(rootChain))).DEPOSIT_GAS() * BOND_GAS_PRICE);
        address attacker = makeAddr("attacker");
        vm.deal(attacker, 1e9 ether);
        uint256 fees;
        vm.startPrank(attacker);
        for (uint256 i; i < 999; ++i) {
            uint256 fee = rootChain.depositFee();
            fees += fee;
            rootChain.depositETH{value: fee + 1}(attacker);
        }
        vm.stopPrank();
        assertEq(rootChain.nextDepositBlock(), 1000);
        // 743 paid deposits: 11 full groups of 64 (1 + 2 + … + 2^10 units each) and 39 at 2^11.
        assertEq(fees, (64 * ((1 << 11) - 1) + 39 * (1 << 11)) * unit);
        assertGe(fees, 10_000 * unit, "blocking an interval is cheap");
        // The fees stay in the contract as ETH surplus, on top of what the deposits owe.
        assertEq(address(rootChain).balance, fees + 999);
        assertEq(rootChain.availableFunds(address(0)), fees + 999);
    }

    function test_finding6_feeSchedule_succeeds() public {
        vm.deal(address(this), 1_000 ether);
        for (uint256 i; i < 256; ++i) {
            assertEq(rootChain.depositFee(), 0);
            rootChain.depositETH{value: 1}(alice);
        }
        // Deposit 257 is the first that pays; the fee doubles every 64 deposits.
        assertEq(rootChain.depositFee(), unit);
        for (uint256 i; i < 64; ++i) {
            rootChain.depositETH{value: unit + 1}(alice);
        }
        assertEq(rootChain.depositFee(), 2 * unit);
        // Paying just the fee (nothing left to deposit) or less is refused.
        vm.expectRevert(abi.encodeWithSelector(IPlasmaFramework.RootChain_BadDepositFee.selector, 2 * unit, 2 * unit));
        rootChain.depositETH{value: 2 * unit}(alice);
        // The deposit is credited with msg.value − fee.
        vm.recordLogs();
        rootChain.depositETH{value: 2 * unit + 5}(alice);
        (uint256 amount,,) = abi.decode(vm.getRecordedLogs()[0].data, (uint256, bytes32, uint256));
        assertEq(amount, 5);

        // A token deposit pays exactly the fee in ETH: more or less is refused.
        uint256 fee = rootChain.depositFee();
        vm.deal(alice, 10 ether);
        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSelector(IPlasmaFramework.RootChain_BadDepositFee.selector, fee - 1, fee));
        rootChain.depositToken{value: fee - 1}(alice, address(token), 1 ether);
        vm.expectRevert(abi.encodeWithSelector(IPlasmaFramework.RootChain_BadDepositFee.selector, fee + 1, fee));
        rootChain.depositToken{value: fee + 1}(alice, address(token), 1 ether);
        vm.expectRevert(abi.encodeWithSelector(IPlasmaFramework.RootChain_BadDepositFee.selector, 0, fee));
        rootChain.depositToken(alice, address(token), 1 ether);
        rootChain.depositToken{value: fee}(alice, address(token), 1 ether);
        vm.stopPrank();
        assertEq(token.balanceOf(address(rootChain)), 1 ether);

        // The next child block resets the fee.
        vm.prank(operator);
        rootChain.submitBlock(keccak256("block"));
        assertEq(rootChain.depositFee(), 0);
        vm.prank(alice);
        rootChain.depositToken(alice, address(token), 1 ether);
    }
}
