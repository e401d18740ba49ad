// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IInFlightExitTypes} from "../../src/interfaces/IInFlightExitGame.sol";
import {TxBuilder} from "../shared/TxBuilder.sol";
import {InFlightExitSetup} from "../exits/inflight/InFlightExitSetup.sol";

/// @title IFE_MixedTokens
/// @notice Attacks with transactions that mix tokens:
///         1. outputs of one token funded by inputs of another (1 ETH + 100 TST in, 101 ETH
///            out): refused, funds are conserved PER TOKEN. Seen to fail without it: with
///            `_credit`/`_debit` summing all tokens in one bucket, the start succeeds and the
///            exit later drains other users' ETH;
///         2. a mixed exit settled in one token's queue paying another token's piggybacks:
///            each queue entry settles only its own token's piggybacks, out of that token's
///            budget. Seen to fail without it: with the token filter removed from
///            `_settleToken`, the ETH entry tries to pay the token output out of the ETH
///            budget (bob gets ETH instead of tokens and the token stays in the vault).
contract IFE_MixedTokens_Test is InFlightExitSetup {
    function test_crossTokenInflation_refused() public {
        Utxo memory eth = _depositETH(alice, 1 ether);
        Utxo memory tok = _depositToken(alice, 100 ether);
        TxBuilder.Out[] memory o = TxBuilder.outs1(bob, address(0), 101 ether);
        bytes memory theft = TxBuilder.payment(_inputsOf(_two(eth, tok)), o);
        IInFlightExitTypes.StartArgs memory a = _args(theft, _two(eth, tok), _keys2(aliceKey, aliceKey));
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_Inflation.selector, address(0)));
        _start(alice, a);
    }

    function test_mixedExit_eachTokenFromItsOwnQueue() public {
        // Other users' funds of both tokens in the vault.
        _depositETH(carol, 5 ether);
        _depositToken(carol, 500 ether);
        Utxo memory eth = _depositETH(alice, 1 ether);
        Utxo memory tok = _depositToken(alice, 100 ether);
        TxBuilder.Out[] memory o = new TxBuilder.Out[](3);
        o[0] = TxBuilder.Out(bob, address(token), 60 ether);
        o[1] = TxBuilder.Out(bob, address(0), 1 ether);
        o[2] = TxBuilder.Out(alice, address(token), 40 ether);
        bytes memory mixed = TxBuilder.payment(_inputsOf(_two(eth, tok)), o);
        bytes32 id = _start(alice, _args(mixed, _two(eth, tok), _keys2(aliceKey, aliceKey)));
        _piggybackOutput(bob, mixed, 0);
        _piggybackOutput(bob, mixed, 1);
        _piggybackOutput(alice, mixed, 2);
        assertEq(rootChain.exitQueueLength(address(0)), 1);
        assertEq(rootChain.exitQueueLength(address(token)), 1);

        uint256 bobTok0 = token.balanceOf(bob);
        uint256 aliceTok0 = token.balanceOf(alice);
        vm.warp(_view(id).exitableAt);
        _process(address(0));
        // The ETH entry paid only the ETH output.
        assertEq(token.balanceOf(bob), bobTok0);
        assertEq(_view(id).piggybacked, (1 << 4 | 1 << 6));
        _process(address(token));
        assertEq(token.balanceOf(bob) - bobTok0, 60 ether);
        assertEq(token.balanceOf(alice) - aliceTok0, 40 ether);
        assertTrue(_view(id).finalized);
        // Carol's funds of both tokens are intact.
        assertEq(token.balanceOf(address(rootChain)), 500 ether);
        assertEq(address(rootChain).balance, 5 ether);
    }
}
