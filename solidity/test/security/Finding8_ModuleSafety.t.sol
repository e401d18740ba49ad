// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CommonTest} from "../shared/CommonTest.sol";
import {TxBuilder} from "../shared/TxBuilder.sol";
import {IExitGame} from "../../src/interfaces/IExitGame.sol";
import {IExitGameErrors} from "../../src/interfaces/IExitGameErrors.sol";
import {IPlasmaFramework} from "../../src/interfaces/IPlasmaFramework.sol";

/// @notice Module safety (issue 9): the exit-game module runs only inside a RootChain's
///         DELEGATECALL, its `processExit` is reachable only from processExits, and the root
///         chain takes no ETH outside deposits and bonds.
/// @dev Seen failing (src mutations, then restored): without `onlyDelegateCall` a direct call
///      runs in the module's own storage (BlockNotFound instead of NotDelegateCall); with
///      `processExit` routed by the fallback anyone settles a queue key at will (no revert);
///      with an accepting `receive` the plain send succeeds.
contract Finding8_ModuleSafety_Test is CommonTest {
    function test_moduleSafety_directStartExit_reverts() public {
        Committed memory dep = _depositETH(alice, 1 ether);
        vm.expectRevert(IExitGameErrors.RootChain_NotDelegateCall.selector);
        vm.prank(alice);
        standardExitGame.startStandardExit{value: EXIT_BOND}(
            TxBuilder.position(dep.blknum, 0, 0), dep.txBytes, dep.proof, dep.timestamp
        );
    }

    function test_moduleSafety_directProcessExit_reverts() public {
        vm.expectRevert(IExitGameErrors.RootChain_NotDelegateCall.selector);
        standardExitGame.processExit(address(0), 1, type(uint256).max);
    }

    function test_moduleSafety_directChallenge_reverts() public {
        vm.expectRevert(IExitGameErrors.RootChain_NotDelegateCall.selector);
        standardExitGame.challengeStandardExit(1, "", 0, "", carol);
    }

    function test_moduleSafety_processExitThroughRootChain_reverts() public {
        uint64 pos = _startExit(alice, _depositETH(alice, 1 ether), 0);
        uint256 key = (uint256(block.timestamp + MIN_EXIT_PERIOD) << 88) | (uint256(pos) << 24) | (1 << 16);
        vm.expectRevert(
            abi.encodeWithSelector(IPlasmaFramework.RootChain_UnknownSelector.selector, IExitGame.processExit.selector)
        );
        IExitGame(address(rootChain)).processExit(address(0), key, type(uint256).max);
        assertEq(_statusAt(pos), 1);
    }

    function test_moduleSafety_gameIdThroughRootChain_reverts() public {
        vm.expectRevert(
            abi.encodeWithSelector(IPlasmaFramework.RootChain_UnknownSelector.selector, IExitGame.GAME_ID.selector)
        );
        IExitGame(address(rootChain)).GAME_ID();
    }

    function test_moduleSafety_plainEthSend_reverts() public {
        vm.prank(alice);
        (bool ok, bytes memory err) = address(rootChain).call{value: 1 ether}("");
        assertFalse(ok);
        assertEq(err, abi.encodeWithSelector(IPlasmaFramework.RootChain_UnknownSelector.selector, bytes4(0)));
        assertEq(address(rootChain).balance, 0);
    }

    function test_moduleSafety_unknownSelectorWithValue_reverts() public {
        vm.prank(alice);
        (bool ok, bytes memory err) = address(rootChain).call{value: 1 ether}(hex"deadbeef");
        assertFalse(ok);
        assertEq(err, abi.encodeWithSelector(IPlasmaFramework.RootChain_UnknownSelector.selector, bytes4(0xdeadbeef)));
    }
}
