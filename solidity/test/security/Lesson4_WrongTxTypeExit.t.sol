// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CommonTest} from "../shared/CommonTest.sol";
import {TxBuilder} from "../shared/TxBuilder.sol";
import {IRootChain} from "../../src/interfaces/IRootChain.sol";
import {IStandardExitGame} from "../../src/interfaces/IStandardExitGame.sol";
import {TxLib} from "../../src/lib/TxLib.sol";

/// @notice Lesson 4: a transaction of another type exiting through the payment exit game.
/// @dev A DEPOSIT transaction has no inputs, so it creates money from nothing; only the root
///      chain may create it, in a deposit block. A malicious operator puts one crediting
///      itself into a child block. Without the type check in StandardExitGame._exitingOutput
///      the exit starts (and would pay out money nobody deposited), so `expectRevert` fails.
contract Lesson4_WrongTxTypeExit_Test is CommonTest {
    function test_lesson4_depositTypeInChildBlock_reverts() public {
        _depositETH(alice, 5 ether);
        bytes memory fake = TxBuilder.deposit(1000, operator, address(0), 5 ether);
        Committed memory c = _submit(fake);
        vm.deal(operator, 1 ether);
        vm.expectRevert(abi.encodeWithSelector(IStandardExitGame.RootChain_TxTypeNotExitable.selector, 1000, 2));
        _startExit(operator, c, 0);
    }

    function test_lesson4_unknownType_reverts() public {
        bytes memory other = TxBuilder.payment1(TxBuilder.position(1, 0, 0), alice, address(0), 1);
        other[0] = 0x03;
        Committed memory c = _submit(other);
        vm.expectRevert(abi.encodeWithSelector(TxLib.TxLib_UnknownType.selector, 3));
        _startExit(alice, c, 0);
    }
}
