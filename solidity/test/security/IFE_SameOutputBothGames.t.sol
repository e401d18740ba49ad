// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IStandardExitGame} from "../../src/interfaces/IStandardExitGame.sol";
import {TxBuilder} from "../shared/TxBuilder.sol";
import {InFlightExitSetup} from "../exits/inflight/InFlightExitSetup.sol";

/// @title IFE_SameOutputBothGames
/// @notice Attack: exit one output through the standard game AND as a piggybacked output of
///         an in-flight exit, to be paid twice. Protection: both games check and mark the
///         shared output record (OutputLib): the IFE pays an output only if its record is
///         NONE or EXITING and marks it EXITED; the standard game pays only an EXITING record.
///         Seen to fail without it: with `_settle`'s status condition replaced by `true`
///         (InFlightExitGame), order A pays bob his 1 ETH twice, out of carol's deposit; with
///         the IFE not writing EXITED, order B does the same through the standard exit.
contract IFE_SameOutputBothGames_Test is InFlightExitSetup {
    Utxo internal dep;
    bytes internal payTx;
    Included internal inc;

    function setUp() public override {
        super.setUp();
        // Carol's money sits in the vault: the victim of any double payment.
        _depositETH(carol, 5 ether);
        dep = _depositETH(alice, 1 ether);
        payTx = TxBuilder.payment1(dep.pos, bob, address(0), 1 ether);
        inc = _submit1(payTx);
    }

    /// @notice Order A: the standard exit is paid first; the IFE then pays nothing for it.
    function test_standardFirst_ifePaysNothing() public {
        vm.prank(bob);
        rootChain.startStandardExit{value: exitBond}(inc.txPos, payTx, inc.proof, inc.timestamp);
        // The IFE is started later, so it matures after the standard exit.
        vm.warp(block.timestamp + MEP + 1 days);
        bytes32 id = _start(bob, _args(payTx, _one(dep), _keys1(aliceKey)));
        _piggybackOutput(bob, payTx, 0);
        uint256 bob0 = bob.balance;
        vm.warp(_view(id).exitableAt);
        _process(address(0));
        // Bob got 1 ETH once, plus his bonds back less the bounties.
        assertEq(
            bob.balance - bob0, 1 ether + (exitBond - rootChain.PROCESS_BOUNTY()) + 2 * spentShare + canonicityShare
        );
        assertEq(address(rootChain).balance, 5 ether);
    }

    /// @notice Order B: the IFE is paid first; the live standard exit then pays nothing and a
    ///         new one cannot start.
    function test_ifeFirst_standardPaysNothing() public {
        bytes32 id = _start(bob, _args(payTx, _one(dep), _keys1(aliceKey)));
        _piggybackOutput(bob, payTx, 0);
        vm.warp(block.timestamp + 3 days);
        vm.prank(bob);
        rootChain.startStandardExit{value: exitBond}(inc.txPos, payTx, inc.proof, inc.timestamp);
        uint256 bob0 = bob.balance;
        vm.warp(block.timestamp + 2 * MEP);
        assertEq(_process(address(0)), 2);
        assertEq(
            bob.balance - bob0, 1 ether + (exitBond - rootChain.PROCESS_BOUNTY()) + 2 * spentShare + canonicityShare
        );
        assertEq(address(rootChain).balance, 5 ether);
        assertTrue(_view(id).finalized);
        // And no new standard exit of the output: its record says EXITED.
        vm.expectRevert(abi.encodeWithSelector(IStandardExitGame.RootChain_ExitExists.selector, _outputId(payTx, 0)));
        vm.prank(bob);
        rootChain.startStandardExit{value: exitBond}(inc.txPos, payTx, inc.proof, inc.timestamp);
    }
}
