// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IInFlightExitTypes} from "../../src/interfaces/IInFlightExitGame.sol";
import {TxBuilder} from "../shared/TxBuilder.sol";
import {InFlightExitSetup} from "../exits/inflight/InFlightExitSetup.sol";

/// @title IFE_InvalidCompetitor
/// @notice Attack: the operator blocks bob's in-flight exit of alice's honest payment with a
///         canonicity challenge whose competitor is itself invalid: not signed by the input's
///         owner, not spending the input, the in-flight tx itself, a malformed transaction, a
///         DEPOSIT, or "included" with a forged proof. Every one is refused, the exit stays
///         canonical and bob is paid. Seen to fail without the protection: with the
///         signature check removed from `_checkSpend` (InFlightExitChallenges), the
///         operator-signed competitor is accepted and bob's output is not paid.
contract IFE_InvalidCompetitor_Test is InFlightExitSetup {
    Utxo internal dep;
    bytes internal payTx;
    bytes32 internal id;
    address internal op;
    uint256 internal opKey;

    function setUp() public override {
        super.setUp();
        (op, opKey) = makeAddrAndKey("operator");
        dep = _depositETH(alice, 1 ether);
        payTx = TxBuilder.payment1(dep.pos, bob, address(0), 1 ether);
        id = _start(bob, _args(payTx, _one(dep), _keys1(aliceKey)));
        _piggybackOutput(bob, payTx, 0);
    }

    function _args(bytes memory competitor, uint256 key)
        internal
        view
        returns (IInFlightExitTypes.CanonicityChallenge memory c)
    {
        c.exitId = id;
        c.inputTx = dep.txBytes;
        c.competingTx = competitor;
        c.competingSignature = _sign(key, competitor);
        c.challenger = op;
    }

    function _try(IInFlightExitTypes.CanonicityChallenge memory c, bytes memory err) internal {
        vm.expectRevert(err);
        vm.prank(op);
        rootChain.challengeInFlightExitNotCanonical(c);
    }

    function test_invalidCompetitors_refused_exitStaysCanonical() public {
        bytes memory forged = TxBuilder.payment1(dep.pos, op, address(0), 1 ether);
        // 1. signed by the operator, not by alice
        _try(
            _args(forged, opKey),
            abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_BadSignature.selector, op, alice)
        );
        // 2. spends another output
        bytes memory other = TxBuilder.payment1(dep.pos + 1, op, address(0), 1 ether);
        _try(
            _args(other, aliceKey),
            abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_NotSpending.selector, dep.pos, 0)
        );
        // 3. the in-flight tx itself
        _try(_args(payTx, aliceKey), abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_SameTransaction.selector));
        // 4. a DEPOSIT
        bytes memory d = TxBuilder.deposit(7, alice, address(0), 1 ether);
        _try(
            _args(d, aliceKey), abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_ChallengeNotPayment.selector, 2)
        );
        // 5. a real competitor "included" by a forged proof
        bytes memory dbl = TxBuilder.payment1(dep.pos, carol, address(0), 1 ether);
        IInFlightExitTypes.CanonicityChallenge memory c = _args(dbl, aliceKey);
        c.competingTxPos = uint64(1000 * 1e9);
        (, c.competingProof) = TxBuilder.single(dbl);
        c.competingBlockTimestamp = block.timestamp;
        _try(c, abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_NotIncluded.selector, uint64(1000 * 1e9)));
        // 6. a malformed encoding of a competitor (trailing byte)
        IInFlightExitTypes.CanonicityChallenge memory m = _args(dbl, aliceKey);
        m.competingTx = bytes.concat(dbl, hex"00");
        vm.expectRevert();
        vm.prank(op);
        rootChain.challengeInFlightExitNotCanonical(m);

        assertTrue(_view(id).canonical);
        uint256 bob0 = bob.balance;
        vm.warp(_view(id).exitableAt);
        _process(address(0));
        assertEq(bob.balance - bob0, 1 ether + 2 * spentShare + canonicityShare);
    }
}
