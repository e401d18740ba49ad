// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IInFlightExitTypes} from "../../src/interfaces/IInFlightExitGame.sol";
import {TxBuilder} from "../shared/TxBuilder.sol";
import {InFlightExitSetup} from "../exits/inflight/InFlightExitSetup.sol";

/// @title IFE_LateResponse
/// @notice Attack: alice double-spends; the competitor (to carol) is included FIRST, the
///         in-flight tx (to bob) later. Bob answers the canonicity challenge by proving his
///         tx's inclusion, at the later position, to have both paid. Protection: a response
///         must prove a position strictly before the oldest competitor. Seen to fail without
///         it: with the `inFlightTxPos >= oldest` check removed, the response is accepted (the
///         expected revert does not happen) and the exit turns canonical again.
contract IFE_LateResponse_Test is InFlightExitSetup {
    function test_responseAtLaterPosition_refused() public {
        address dave = makeAddr("dave");
        vm.deal(dave, 5 ether);
        _depositETH(dave, 5 ether);
        Utxo memory dep = _depositETH(alice, 1 ether);
        bytes memory payTx = TxBuilder.payment1(dep.pos, bob, address(0), 1 ether);
        bytes memory dblTx = TxBuilder.payment1(dep.pos, carol, address(0), 1 ether);
        bytes[] memory txs = new bytes[](2);
        txs[0] = dblTx;
        txs[1] = payTx; // same block, later index
        Included[] memory inc = _submit(txs);
        bytes32 id = _start(bob, _args(payTx, _one(dep), _keys1(aliceKey)));
        _piggybackOutput(bob, payTx, 0);

        IInFlightExitTypes.CanonicityChallenge memory c;
        c.exitId = id;
        c.inputTx = dep.txBytes;
        c.competingTx = dblTx;
        c.competingTxPos = inc[0].txPos;
        c.competingProof = inc[0].proof;
        c.competingBlockTimestamp = inc[0].timestamp;
        c.competingSignature = _sign(aliceKey, dblTx);
        c.challenger = watcher;
        vm.prank(watcher);
        rootChain.challengeInFlightExitNotCanonical(c);

        vm.expectRevert(
            abi.encodeWithSelector(
                IInFlightExitTypes.InFlightExit_ResponseNotOlder.selector, inc[1].txPos, inc[0].txPos
            )
        );
        vm.prank(bob);
        rootChain.respondToNonCanonicalChallenge(payTx, inc[1].txPos, inc[1].proof, inc[1].timestamp);

        // Carol exits the canonical competitor; bob's output is never paid.
        vm.prank(carol);
        rootChain.startStandardExit{value: exitBond}(inc[0].txPos, dblTx, inc[0].proof, inc[0].timestamp);
        uint256 bob0 = bob.balance;
        vm.warp(block.timestamp + 3 * MEP);
        _process(address(0));
        assertEq(bob.balance - bob0, 2 * spentShare);
        assertEq(address(rootChain).balance, 5 ether);
    }
}
