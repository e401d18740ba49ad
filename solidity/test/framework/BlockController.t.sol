// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CommonTest} from "../shared/CommonTest.sol";
import {IRootChain} from "../../src/interfaces/IRootChain.sol";
import {IPlasmaFramework} from "../../src/interfaces/IPlasmaFramework.sol";
import {RootChain} from "../../src/RootChain.sol";
import {PlasmaStorage} from "../../src/framework/PlasmaStorage.sol";
import {PositionLib} from "../../src/lib/PositionLib.sol";
import {Modules} from "../shared/Modules.sol";

contract BlockController_Constructor_Test is CommonTest {
    function test_constructor_initialState_succeeds() public view {
        assertEq(rootChain.operator(), operator);
        assertEq(rootChain.nextChildBlock(), 1000);
        assertEq(rootChain.nextDepositBlock(), 1);
        assertEq(rootChain.pendingOperator(), address(0));
        assertEq(rootChain.MIN_EXIT_PERIOD(), MIN_EXIT_PERIOD);
        assertEq(rootChain.EXIT_BOND(), EXIT_BOND);
        assertEq(rootChain.PROCESS_BOUNTY(), PROCESS_BOUNTY);
        assertEq(rootChain.BOND_GAS_PRICE(), BOND_GAS_PRICE);
        assertEq(rootChain.STANDARD_EXIT_GAME(), address(standardExitGame));
    }

    function test_constructor_headInOneSlot_succeeds() public view {
        // The gas design relies on the packed head being the first slot of the namespace.
        bytes32 slot0 = vm.load(address(rootChain), PlasmaStorage.SLOT);
        assertEq(address(uint160(uint256(slot0))), operator);
        assertEq(uint64(uint256(slot0) >> 160), 1000);
        assertEq(uint16(uint256(slot0) >> 224), 1);
    }

    function test_constructor_zeroOperator_reverts() public {
        vm.expectRevert(IPlasmaFramework.RootChain_ZeroOperator.selector);
        new RootChain(address(0), address(standardExitGame), Modules.inFlight(MIN_EXIT_PERIOD, BOND_GAS_PRICE));
    }
}

contract BlockController_SubmitBlock_Test is CommonTest {
    function test_submitBlock_storesCommitment_succeeds() public {
        bytes32 root = keccak256("root");
        vm.expectEmit(address(rootChain));
        emit IPlasmaFramework.BlockSubmitted(1000, root, block.timestamp);
        vm.prank(operator);
        rootChain.submitBlock(root);
        assertEq(rootChain.blocks(1000), keccak256(abi.encode(root, block.timestamp)));
        assertEq(rootChain.nextChildBlock(), 2000);
        assertEq(rootChain.nextDepositBlock(), 1001);
    }

    function test_submitBlock_resetsDepositCounter_succeeds() public {
        _depositETH(alice, 1 ether);
        _depositETH(alice, 1 ether);
        assertEq(rootChain.nextDepositBlock(), 3);
        vm.prank(operator);
        rootChain.submitBlock(bytes32(uint256(1)));
        assertEq(rootChain.nextDepositBlock(), 1001);
    }

    function test_submitBlock_notOperator_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(IPlasmaFramework.RootChain_NotOperator.selector, alice));
        vm.prank(alice);
        rootChain.submitBlock(bytes32(0));
    }

    function test_submitBlock_overflow_reverts() public {
        // Put nextChildBlock just past the largest child block by writing the packed head.
        uint256 head = uint256(uint160(operator)) | ((PositionLib.MAX_CHILD_BLOCK + 1000) << 160) | (uint256(1) << 224);
        vm.store(address(rootChain), PlasmaStorage.SLOT, bytes32(head));
        vm.expectRevert(
            abi.encodeWithSelector(
                IPlasmaFramework.RootChain_BlockNumberOverflow.selector, PositionLib.MAX_CHILD_BLOCK + 1000
            )
        );
        vm.prank(operator);
        rootChain.submitBlock(bytes32(0));
    }

    function test_submitBlock_lastChildBlock_succeeds() public {
        uint256 head = uint256(uint160(operator)) | (PositionLib.MAX_CHILD_BLOCK << 160) | (uint256(1) << 224);
        vm.store(address(rootChain), PlasmaStorage.SLOT, bytes32(head));
        vm.prank(operator);
        rootChain.submitBlock(bytes32(uint256(7)));
        assertEq(rootChain.nextChildBlock(), PositionLib.MAX_CHILD_BLOCK + 1000);
        // The deposits after the last child block still have uint64 positions.
        assertLt((PositionLib.MAX_CHILD_BLOCK + 999) * 1e9 + 65_535 * 1e4 + 3, uint256(type(uint64).max));
    }
}

contract BlockController_TransferOperator_Test is CommonTest {
    function test_transferOperator_setsPending_succeeds() public {
        vm.expectEmit(address(rootChain));
        emit IPlasmaFramework.OperatorTransferStarted(operator, bob);
        vm.prank(operator);
        rootChain.transferOperator(bob);
        assertEq(rootChain.pendingOperator(), bob);
        assertEq(rootChain.operator(), operator);
    }

    function test_transferOperator_notOperator_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(IPlasmaFramework.RootChain_NotOperator.selector, bob));
        vm.prank(bob);
        rootChain.transferOperator(bob);
    }

    function test_transferOperator_zero_reverts() public {
        vm.expectRevert(IPlasmaFramework.RootChain_ZeroOperator.selector);
        vm.prank(operator);
        rootChain.transferOperator(address(0));
    }
}

contract BlockController_AcceptOperator_Test is CommonTest {
    function test_acceptOperator_handsOver_succeeds() public {
        _depositETH(alice, 1 ether);
        vm.prank(operator);
        rootChain.transferOperator(bob);
        vm.expectEmit(address(rootChain));
        emit IPlasmaFramework.OperatorTransferred(operator, bob);
        vm.prank(bob);
        rootChain.acceptOperator();
        assertEq(rootChain.operator(), bob);
        assertEq(rootChain.pendingOperator(), address(0));
        // Block numbering is untouched by the hand-over.
        assertEq(rootChain.nextChildBlock(), 1000);
        assertEq(rootChain.nextDepositBlock(), 2);
        vm.prank(bob);
        rootChain.submitBlock(bytes32(uint256(1)));
        vm.expectRevert(abi.encodeWithSelector(IPlasmaFramework.RootChain_NotOperator.selector, operator));
        vm.prank(operator);
        rootChain.submitBlock(bytes32(uint256(1)));
    }

    function test_acceptOperator_notPending_reverts() public {
        vm.prank(operator);
        rootChain.transferOperator(bob);
        vm.expectRevert(abi.encodeWithSelector(IPlasmaFramework.RootChain_NotPendingOperator.selector, carol));
        vm.prank(carol);
        rootChain.acceptOperator();
    }

    function test_acceptOperator_nothingPending_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(IPlasmaFramework.RootChain_NotPendingOperator.selector, address(0)));
        vm.prank(address(0));
        rootChain.acceptOperator();
    }
}
