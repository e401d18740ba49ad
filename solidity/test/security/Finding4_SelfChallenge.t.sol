// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CommonTest} from "../shared/CommonTest.sol";
import {TxBuilder} from "../shared/TxBuilder.sol";

/// @notice Finding 4 (issue 9, protocol lesson 12): a cheater challenging its own invalid
///         exit to recover the bond. The challenger is paid CHALLENGER_SHARE only; the rest of
///         the bond is forfeited to the contract, so the author loses at least
///         CHALLENGER_SHARE.
/// @dev Seen failing on the old rule (src mutation paying the whole EXIT_BOND to the named
///      challenger, then restored): mallory gets her bond back and loses nothing.
contract Finding4_SelfChallenge_Test is CommonTest {
    function test_finding4_selfChallengeCostsTheAuthor_succeeds() public {
        (address mallory, uint256 malloryKey) = makeAddrAndKey("mallory");
        vm.deal(mallory, 1 ether);
        // An invalid output of mallory's, from a block the operator made up.
        Committed memory invalid =
            _submit(TxBuilder.payment1(TxBuilder.position(77, 0, 0), mallory, address(0), 50 ether));
        uint256 malloryBefore = mallory.balance;
        uint64 pos = _startExit(mallory, invalid, 0);
        uint256 availableBefore = rootChain.availableFunds(address(0));

        // Caught: she spends it herself and challenges her own exit, naming herself.
        bytes memory spend = TxBuilder.payment1(pos, mallory, address(0), 50 ether);
        vm.prank(mallory);
        rootChain.challengeStandardExit(pos, spend, 0, _sign(malloryKey, spend), mallory);

        uint256 loss = malloryBefore - mallory.balance;
        assertGe(loss, CHALLENGER_SHARE, "self-challenge recovered the bond");
        assertEq(loss, EXIT_BOND - CHALLENGER_SHARE);
        // The split is exact: the bond is 2 shares and a bounty; the forfeit stays as surplus.
        assertEq(EXIT_BOND, 2 * CHALLENGER_SHARE + PROCESS_BOUNTY);
        assertEq(rootChain.bondsHeld(), 0);
        assertEq(address(rootChain).balance, EXIT_BOND - CHALLENGER_SHARE);
        assertEq(rootChain.availableFunds(address(0)), availableBefore + EXIT_BOND - CHALLENGER_SHARE);
        assertEq(_statusAt(pos), 2);

        // Processing the dead entry pays nobody anything.
        vm.warp(block.timestamp + 2 * MIN_EXIT_PERIOD);
        uint256 carolBefore = carol.balance;
        vm.prank(carol);
        assertEq(rootChain.processExits(address(0), 1), 1);
        assertEq(carol.balance, carolBefore);
        assertEq(mallory.balance, malloryBefore - loss);
    }
}
