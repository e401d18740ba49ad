// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CommonTest} from "../shared/CommonTest.sol";
import {TxBuilder} from "../shared/TxBuilder.sol";
import {IRootChain} from "../../src/interfaces/IRootChain.sol";
import {IPlasmaFramework} from "../../src/interfaces/IPlasmaFramework.sol";
import {NoBoolToken} from "../../src/test-helpers/NoBoolToken.sol";
import {FeeOnTransferToken} from "../../src/test-helpers/FeeOnTransferToken.sol";

contract Deposits_DepositETH_Test is CommonTest {
    function test_depositETH_createsDepositBlock_succeeds() public {
        bytes memory txBytes = TxBuilder.deposit(1, bob, address(0), 1 ether);
        (bytes32 root,) = TxBuilder.single(txBytes);
        vm.expectEmit(address(rootChain));
        emit IPlasmaFramework.DepositCreated(bob, address(0), 1, 1 ether, root, block.timestamp);
        vm.prank(alice);
        rootChain.depositETH{value: 1 ether}(bob);
        assertEq(rootChain.blocks(1), keccak256(abi.encode(root, block.timestamp)));
        assertEq(rootChain.nextDepositBlock(), 2);
        assertEq(rootChain.nextChildBlock(), 1000);
        assertEq(address(rootChain).balance, 1 ether);
    }

    function test_depositETH_afterChildBlock_succeeds() public {
        _submit(TxBuilder.payment1(TxBuilder.position(1, 0, 0), alice, address(0), 1));
        Committed memory c = _depositETH(alice, 2 ether);
        assertEq(c.blknum, 1001);
        assertEq(rootChain.nextDepositBlock(), 1002);
    }

    function test_depositETH_zeroValue_reverts() public {
        vm.expectRevert(IPlasmaFramework.RootChain_ZeroDeposit.selector);
        vm.prank(alice);
        rootChain.depositETH{value: 0}(alice);
    }

    function test_depositETH_zeroOwner_reverts() public {
        vm.expectRevert(IPlasmaFramework.RootChain_ZeroOwner.selector);
        vm.prank(alice);
        rootChain.depositETH{value: 1}(address(0));
    }

    function test_depositETH_999thSucceeds1000thReverts_reverts() public {
        for (uint256 i; i < 999; ++i) {
            rootChain.depositETH{value: 1}(alice);
        }
        assertEq(rootChain.nextDepositBlock(), 1000);
        assertEq(rootChain.blocks(1000), bytes32(0));
        vm.expectRevert(abi.encodeWithSelector(IPlasmaFramework.RootChain_TooManyDeposits.selector, 1000));
        rootChain.depositETH{value: 1}(alice);
        // The next child block resets the counter.
        vm.prank(operator);
        rootChain.submitBlock(bytes32(uint256(1)));
        rootChain.depositETH{value: 1}(alice);
        assertEq(rootChain.nextDepositBlock(), 1002);
    }
}

contract Deposits_DepositToken_Test is CommonTest {
    function test_depositToken_plainToken_succeeds() public {
        bytes memory txBytes = TxBuilder.deposit(1, bob, address(token), 5 ether);
        (bytes32 root,) = TxBuilder.single(txBytes);
        vm.expectEmit(address(rootChain));
        emit IPlasmaFramework.DepositCreated(bob, address(token), 1, 5 ether, root, block.timestamp);
        vm.prank(alice);
        rootChain.depositToken(bob, address(token), 5 ether);
        assertEq(token.balanceOf(address(rootChain)), 5 ether);
        assertEq(rootChain.blocks(1), keccak256(abi.encode(root, block.timestamp)));
    }

    function test_depositToken_noBoolToken_succeeds() public {
        NoBoolToken usdt = new NoBoolToken();
        Committed memory c = _mintAndDeposit(alice, address(usdt), 7e6);
        assertEq(usdt.balanceOf(address(rootChain)), 7e6);
        assertEq(c.blknum, 1);
    }

    function test_depositToken_noBoolTokenFails_reverts() public {
        NoBoolToken usdt = new NoBoolToken();
        // No balance and no allowance: the token reverts without data.
        vm.expectRevert(abi.encodeWithSelector(IPlasmaFramework.RootChain_TransferFailed.selector, address(usdt)));
        vm.prank(alice);
        rootChain.depositToken(alice, address(usdt), 1);
    }

    function test_depositToken_feeOnTransfer_creditsReceived_succeeds() public {
        FeeOnTransferToken fee = new FeeOnTransferToken(100); // 1 %
        fee.mint(alice, 100 ether);
        vm.prank(alice);
        fee.approve(address(rootChain), type(uint256).max);
        bytes memory txBytes = TxBuilder.deposit(1, alice, address(fee), 99 ether);
        (bytes32 root,) = TxBuilder.single(txBytes);
        vm.expectEmit(address(rootChain));
        emit IPlasmaFramework.DepositCreated(alice, address(fee), 1, 99 ether, root, block.timestamp);
        vm.prank(alice);
        rootChain.depositToken(alice, address(fee), 100 ether);
    }

    function test_depositToken_feeEatsAll_reverts() public {
        FeeOnTransferToken fee = new FeeOnTransferToken(10_000); // 100 %
        fee.mint(alice, 1 ether);
        vm.prank(alice);
        fee.approve(address(rootChain), type(uint256).max);
        vm.expectRevert(IPlasmaFramework.RootChain_ZeroDeposit.selector);
        vm.prank(alice);
        rootChain.depositToken(alice, address(fee), 1 ether);
    }

    function test_depositToken_codelessToken_reverts() public {
        address notAToken = makeAddr("notAToken");
        // The balanceOf call to an address without code reverts without data.
        vm.expectRevert(bytes(""));
        vm.prank(alice);
        rootChain.depositToken(alice, notAToken, 1);
    }

    function test_depositToken_zeroToken_reverts() public {
        vm.expectRevert(IPlasmaFramework.RootChain_ZeroToken.selector);
        vm.prank(alice);
        rootChain.depositToken(alice, address(0), 1);
    }

    function test_depositToken_zeroOwner_reverts() public {
        vm.expectRevert(IPlasmaFramework.RootChain_ZeroOwner.selector);
        vm.prank(alice);
        rootChain.depositToken(address(0), address(token), 1);
    }

    function test_depositToken_zeroAmount_reverts() public {
        vm.expectRevert(IPlasmaFramework.RootChain_ZeroDeposit.selector);
        vm.prank(alice);
        rootChain.depositToken(alice, address(token), 0);
    }

    function test_depositToken_withValue_reverts() public {
        // depositToken is not payable: ETH sent along is refused by the EVM dispatcher.
        vm.prank(alice);
        (bool ok,) =
            address(rootChain).call{value: 1}(abi.encodeCall(IPlasmaFramework.depositToken, (alice, address(token), 1 ether)));
        assertFalse(ok);
        assertEq(token.balanceOf(address(rootChain)), 0);
    }
}
