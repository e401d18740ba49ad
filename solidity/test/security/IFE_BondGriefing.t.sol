// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IInFlightExitTypes} from "../../src/interfaces/IInFlightExitGame.sol";
import {TxBuilder} from "../shared/TxBuilder.sol";
import {InFlightExitSetup} from "../exits/inflight/InFlightExitSetup.sol";

/// @title IFE_BondGriefing
/// @notice Attacks on bonds:
///         1. A false canonicity challenge (a competitor included AFTER the in-flight tx) to
///            earn the exit's bond: the canonicity share is paid only when the exit is
///            finalized, to whoever won the canonicity game last, here the responder; the
///            false challenger earns nothing. Seen to fail without it: paying the share at
///            challenge time (as the standard game does) gives the false challenger the share
///            and leaves the starter short (the challenger-balance assertion fails).
///         2. Repeated challenges to draw the bond several times: one share leaves, once;
///            bondsHeld never goes below the bonds of live exits. Seen to fail without it:
///            paying per challenge drives bondsHeld below zero (underflow revert) or pays
///            the second challenger out of other users' funds.
///         3. Front-running: a replayed challenge still names the original challenger.
///         4. Griefing a piggyback: nobody but the owner can piggyback (or pre-empt) an output.
contract IFE_BondGriefing_Test is InFlightExitSetup {
    Utxo internal dep;
    bytes internal payTx;
    bytes internal dblTx;
    bytes32 internal id;

    function setUp() public override {
        super.setUp();
        _depositETH(carol, 5 ether);
        dep = _depositETH(alice, 1 ether);
        payTx = TxBuilder.payment1(dep.pos, bob, address(0), 1 ether);
        dblTx = TxBuilder.payment1(dep.pos, carol, address(0), 1 ether);
    }

    function _challengeArgs(Included memory inc, address challenger)
        internal
        view
        returns (IInFlightExitTypes.CanonicityChallenge memory c)
    {
        c.exitId = id;
        c.inputTx = dep.txBytes;
        c.competingTx = inc.txBytes;
        c.competingTxPos = inc.txPos;
        c.competingProof = inc.proof;
        c.competingBlockTimestamp = inc.timestamp;
        c.competingSignature = _sign(aliceKey, inc.txBytes);
        c.challenger = challenger;
    }

    function test_falseChallenge_earnsNothing_responderWins() public {
        Included memory mine = _submit1(payTx);
        Included memory late = _submit1(dblTx);
        id = _start(bob, _args(payTx, _one(dep), _keys1(aliceKey)));
        _piggybackOutput(bob, payTx, 0);
        uint256 griefer0 = watcher.balance;
        IInFlightExitTypes.CanonicityChallenge memory c = _challengeArgs(late, watcher);
        vm.prank(watcher);
        rootChain.challengeInFlightExitNotCanonical(c);
        assertEq(watcher.balance, griefer0);
        vm.prank(bob);
        rootChain.respondToNonCanonicalChallenge(payTx, mine.txPos, mine.proof, mine.timestamp);
        uint256 bob0 = bob.balance;
        vm.warp(_view(id).exitableAt);
        _process(address(0));
        assertEq(watcher.balance, griefer0);
        assertEq(bob.balance - bob0, 1 ether + 2 * spentShare + canonicityShare);
        assertEq(rootChain.bondsHeld(), 0);
        assertEq(address(rootChain).balance, 5 ether);
    }

    function test_repeatedChallenges_oneShareOnce() public {
        id = _start(bob, _args(payTx, _one(dep), _keys1(aliceKey)));
        _piggybackOutput(bob, payTx, 0);
        // First an unincluded competitor, then an included one (strictly older).
        IInFlightExitTypes.CanonicityChallenge memory c1;
        c1.exitId = id;
        c1.inputTx = dep.txBytes;
        c1.competingTx = dblTx;
        c1.competingSignature = _sign(aliceKey, dblTx);
        c1.challenger = watcher;
        vm.prank(watcher);
        rootChain.challengeInFlightExitNotCanonical(c1);
        Included memory inc = _submit1(dblTx);
        IInFlightExitTypes.CanonicityChallenge memory c2 = _challengeArgs(inc, carol);
        vm.prank(carol);
        rootChain.challengeInFlightExitNotCanonical(c2);
        assertEq(rootChain.bondsHeld(), ifeBond + piggybackBond);

        uint256 w0 = watcher.balance;
        uint256 c0 = carol.balance;
        vm.warp(_view(id).exitableAt);
        _process(address(0));
        assertEq(watcher.balance, w0);
        assertEq(carol.balance - c0, canonicityShare);
        assertEq(rootChain.bondsHeld(), 0);
        // Carol's 5 ETH and alice's 1 ETH (her input was not piggybacked: still in the vault).
        assertEq(address(rootChain).balance, 6 ether);
    }

    function test_frontRunReplay_paysNamedChallenger() public {
        id = _start(bob, _args(payTx, _one(dep), _keys1(aliceKey)));
        _piggybackInput(alice, id, 0, dep.txBytes);
        bytes memory sig = _sign(aliceKey, dblTx);
        address thief = makeAddr("thief");
        // The thief replays the watcher's calldata from its own account.
        vm.prank(thief);
        rootChain.challengeInFlightExitInputSpent(id, 0, dblTx, 0, sig, watcher);
        assertEq(thief.balance, 0);
    }

    function test_piggybackGriefing_refused() public {
        id = _start(bob, _args(payTx, _one(dep), _keys1(aliceKey)));
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_NotOwner.selector, carol, bob));
        _piggybackOutput(carol, payTx, 0);
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_NotOwner.selector, carol, alice));
        _piggybackInput(carol, id, 0, dep.txBytes);
        _piggybackOutput(bob, payTx, 0);
    }
}
