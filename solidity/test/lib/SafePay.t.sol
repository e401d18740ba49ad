// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";

import {SafePay} from "../../src/lib/SafePay.sol";
import {ERC20Mock} from "../../src/test-helpers/ERC20Mock.sol";
import {NoBoolToken} from "../../src/test-helpers/NoBoolToken.sol";
import {GasBurningReceiver, RevertingReceiver} from "../mocks/ExitAgent.sol";
import {FalseToken, GasBurningToken, ReturnBombToken} from "../mocks/HostileTokens.sol";

/// @notice Exposes SafePay and reports the gas each payout took.
contract SafePayHarness {
    function payETH(address to, uint256 amount) external returns (bool ok, uint256 gasUsed) {
        uint256 g = gasleft();
        ok = SafePay.tryPayETH(to, amount);
        gasUsed = g - gasleft();
    }

    function payToken(address token, address to, uint256 amount) external returns (bool ok, uint256 gasUsed) {
        uint256 g = gasleft();
        ok = SafePay.tryPayToken(token, to, amount);
        gasUsed = g - gasleft();
    }

    receive() external payable {}
}

contract SafePay_TryPayETH_Test is Test {
    SafePayHarness internal h;

    function setUp() public {
        h = new SafePayHarness();
        vm.deal(address(h), 10 ether);
    }

    function test_tryPayETH_account_succeeds() public {
        address to = makeAddr("to");
        (bool ok,) = h.payETH(to, 1 ether);
        assertTrue(ok);
        assertEq(to.balance, 1 ether);
    }

    function test_tryPayETH_revertingReceiver_returnsFalse_succeeds() public {
        RevertingReceiver r = new RevertingReceiver();
        (bool ok,) = h.payETH(address(r), 1 ether);
        assertFalse(ok);
        assertEq(address(r).balance, 0);
    }

    function test_tryPayETH_gasBurner_boundedGas_succeeds() public {
        GasBurningReceiver r = new GasBurningReceiver();
        (bool ok, uint256 gasUsed) = h.payETH(address(r), 1 ether);
        assertFalse(ok);
        // The allowance plus the call's own cost (cold account, value transfer).
        assertLt(gasUsed, SafePay.ETH_GAS + 12_000);
    }

    function test_tryPayETH_tooLittleGas_reverts() public {
        (bool ok,) = address(h).call{gas: 35_000}(abi.encodeCall(SafePayHarness.payETH, (makeAddr("to"), 1)));
        assertFalse(ok);
        vm.expectPartialRevert(SafePay.SafePay_InsufficientGas.selector);
        h.payETH{gas: 40_000}(makeAddr("to"), 1);
    }
}

contract SafePay_TryPayToken_Test is Test {
    SafePayHarness internal h;
    address internal to = makeAddr("to");

    function setUp() public {
        h = new SafePayHarness();
    }

    function test_tryPayToken_standardToken_succeeds() public {
        ERC20Mock t = new ERC20Mock("T", "T");
        t.mint(address(h), 5);
        (bool ok,) = h.payToken(address(t), to, 5);
        assertTrue(ok);
        assertEq(t.balanceOf(to), 5);
    }

    function test_tryPayToken_noBoolToken_succeeds() public {
        NoBoolToken t = new NoBoolToken();
        t.mint(address(h), 5);
        (bool ok,) = h.payToken(address(t), to, 5);
        assertTrue(ok);
        assertEq(t.balanceOf(to), 5);
    }

    function test_tryPayToken_insufficientBalance_returnsFalse_succeeds() public {
        ERC20Mock t = new ERC20Mock("T", "T");
        (bool ok,) = h.payToken(address(t), to, 5);
        assertFalse(ok);
    }

    function test_tryPayToken_falseToken_returnsFalse_succeeds() public {
        FalseToken t = new FalseToken();
        t.mint(address(h), 5);
        (bool ok,) = h.payToken(address(t), to, 5);
        assertFalse(ok);
    }

    function test_tryPayToken_codeless_returnsFalse_succeeds() public {
        (bool ok,) = h.payToken(makeAddr("nothing"), to, 5);
        assertFalse(ok);
    }

    function test_tryPayToken_returnBomb_boundedGas_succeeds() public {
        ReturnBombToken t = new ReturnBombToken();
        (bool ok, uint256 gasUsed) = h.payToken(address(t), to, 5);
        // 200 kB of returndata that is not a 32-byte `true`: a failure, and not copied.
        assertFalse(ok);
        assertLt(gasUsed, SafePay.TOKEN_GAS + 5_000);
    }

    function test_tryPayToken_gasBurner_boundedGas_succeeds() public {
        GasBurningToken t = new GasBurningToken();
        (bool ok, uint256 gasUsed) = h.payToken(address(t), to, 5);
        assertFalse(ok);
        assertLt(gasUsed, SafePay.TOKEN_GAS + 5_000);
    }
}
