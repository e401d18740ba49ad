// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TxBuilder} from "../shared/TxBuilder.sol";
import {InFlightExitSetup} from "../exits/inflight/InFlightExitSetup.sol";

/// @title IFE_InputAlreadyStandardExited
/// @notice Attack: alice signs a payment to bob, then exits its input through the standard
///         game (nobody challenges) and is paid; bob (her accomplice) then has the payment's
///         output paid through an in-flight exit: 1 ETH in, 2 ETH out, carol pays the rest.
///         Protection: at processing, an exit with an input already EXITED is non-canonical
///         (its outputs were never funded): only piggybacked inputs not yet exited are paid.
///         Seen to fail without it: with `_decide` ignoring input records, bob is paid 1 ETH
///         and the vault falls below carol's 5 ETH (the last assertions fail).
contract IFE_InputAlreadyStandardExited_Test is InFlightExitSetup {
    function test_inputStandardExited_outputsNotPaid() public {
        _depositETH(carol, 5 ether);
        Utxo memory dep = _depositETH(alice, 1 ether);
        bytes memory payTx = TxBuilder.payment1(dep.pos, bob, address(0), 1 ether);
        vm.prank(alice);
        rootChain.startStandardExit{value: exitBond}(dep.pos, dep.txBytes, dep.proof, dep.timestamp);
        bytes32 id = _start(bob, _args(payTx, _one(dep), _keys1(aliceKey)));
        _piggybackOutput(bob, payTx, 0);
        _piggybackInput(alice, id, 0, dep.txBytes);

        uint256 bob0 = bob.balance;
        uint256 alice0 = alice.balance;
        vm.warp(_view(id).exitableAt);
        // The standard exit matures first (deposit: now + period) and pays alice.
        assertEq(_process(address(0)), 2);
        assertEq(alice.balance - alice0, 1 ether + exitBond - rootChain.PROCESS_BOUNTY() + 2 * spentShare);
        // Bob's output is not paid: only his bond (and the starter's share) come back.
        assertEq(bob.balance - bob0, 2 * spentShare + canonicityShare);
        assertFalse(_view(id).canonical);
        assertEq(address(rootChain).balance, 5 ether);
    }
}
