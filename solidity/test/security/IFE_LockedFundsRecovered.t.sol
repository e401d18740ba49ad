// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TxBuilder} from "../shared/TxBuilder.sol";
import {InFlightExitSetup} from "../exits/inflight/InFlightExitSetup.sol";

/// @title IFE_LockedFundsRecovered
/// @notice Lesson 15: the operator withholds alice's signed payment to bob, then challenges
///         alice's standard exit of the input with that very signature. Before in-flight
///         exits the 1 ETH was locked for good. Now alice starts an in-flight exit of the
///         payment; bob and alice piggyback their outputs and recover everything.
///         Seen to fail without its protection: if the IFE treated a CHALLENGED input record
///         as spent (the `_decide` check widened from EXITED to "not NONE"), the exit turns
///         non-canonical and bob's 0.6 ETH stays locked (assertion on bob's balance fails).
contract IFE_LockedFundsRecovered_Test is InFlightExitSetup {
    function test_withheldPaymentAndChallengedInput_recovered() public {
        Utxo memory dep = _depositETH(alice, 1 ether);
        bytes memory payTx = TxBuilder.payment2(dep.pos, bob, alice, address(0), 0.6 ether, 0.4 ether);
        bytes memory sig = _sign(aliceKey, payTx);
        // The operator never includes payTx. Alice gives up waiting and exits her input...
        vm.prank(alice);
        rootChain.startStandardExit{value: exitBond}(dep.pos, dep.txBytes, dep.proof, dep.timestamp);
        // ...and the operator challenges it with the signature it holds.
        vm.prank(operator);
        rootChain.challengeStandardExit(dep.pos, payTx, 0, sig, operator);
        assertEq(_status(_outputId(dep.txBytes, 0)), 2);

        // The way out: an in-flight exit of the withheld payment.
        uint256 alice0 = alice.balance;
        uint256 bob0 = bob.balance;
        bytes32 id = _start(alice, _args(payTx, _one(dep), _keys1(aliceKey)));
        _piggybackOutput(bob, payTx, 0);
        _piggybackOutput(alice, payTx, 1);
        vm.warp(_view(id).exitableAt);
        _process(address(0));

        assertEq(bob.balance, bob0 - piggybackBond + 0.6 ether + 2 * spentShare);
        assertEq(alice.balance, alice0 - ifeBond - piggybackBond + 0.4 ether + 2 * spentShare + canonicityShare);
        // Every wei of the deposit left the vault to its rightful owners.
        assertEq(_status(_outputId(payTx, 0)), 3);
        assertEq(_status(_outputId(payTx, 1)), 3);
        assertEq(rootChain.bondsHeld(), 0);
    }
}
