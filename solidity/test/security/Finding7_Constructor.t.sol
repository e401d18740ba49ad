// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";

import {RootChain} from "../../src/RootChain.sol";
import {ExitGameBase} from "../../src/exits/ExitGameBase.sol";
import {StandardExitGame} from "../../src/exits/StandardExitGame.sol";
import {IExitGameErrors} from "../../src/interfaces/IExitGameErrors.sol";
import {IPlasmaFramework} from "../../src/interfaces/IPlasmaFramework.sol";
import {Modules} from "../shared/Modules.sol";

/// @notice A contract that claims another game id.
contract OtherGame {
    function GAME_ID() external pure returns (uint8) {
        return 2;
    }
}

/// @notice Finding 7 (issue 9): deployment parameters that break the protocol are refused.
///         An exit period below the floor gives watchers no time to answer; above 2^32 − 1
///         exit times leave a queue key's 40 bits; a zero bond gas price makes bonds (and the
///         deposit fee) zero; a RootChain wired to something that is not a standard exit game
///         would route exits into arbitrary code.
/// @dev Seen failing on the old rules (src mutations removing each check, then restored):
///      the deployments succeed and `expectRevert` fails.
contract Finding7_Constructor_Test is Test {
    address internal operator = makeAddr("operator");

    function test_finding7_zeroExitPeriod_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(IExitGameErrors.RootChain_BadExitPeriod.selector, 0));
        new StandardExitGame(0, 1 gwei);
    }

    function test_finding7_exitPeriodBelowFloor_reverts() public {
        uint256 floor = new StandardExitGame(1 weeks, 1 gwei).MIN_EXIT_PERIOD_FLOOR();
        vm.expectRevert(abi.encodeWithSelector(IExitGameErrors.RootChain_BadExitPeriod.selector, floor - 1));
        new StandardExitGame(floor - 1, 1 gwei);
        // The floor itself is accepted.
        assertEq(new StandardExitGame(floor, 1 gwei).MIN_EXIT_PERIOD(), floor);
    }

    function test_finding7_exitPeriodTooLong_reverts() public {
        uint256 period = uint256(type(uint32).max) + 1;
        vm.expectRevert(abi.encodeWithSelector(IExitGameErrors.RootChain_BadExitPeriod.selector, period));
        new StandardExitGame(period, 1 gwei);
        assertEq(new StandardExitGame(type(uint32).max, 1 gwei).MIN_EXIT_PERIOD(), type(uint32).max);
    }

    function test_finding7_zeroBondGasPrice_reverts() public {
        vm.expectRevert(IExitGameErrors.RootChain_ZeroBondGasPrice.selector);
        new StandardExitGame(1 weeks, 0);
    }

    function test_finding7_rootChainWithoutGame_reverts() public {
        address eoa = makeAddr("notAGame");
        vm.expectRevert(abi.encodeWithSelector(IPlasmaFramework.RootChain_BadExitGame.selector, eoa));
        new RootChain(operator, eoa, Modules.inFlight(1 weeks, 1 gwei));
    }

    function test_finding7_rootChainOtherGameId_reverts() public {
        address other = address(new OtherGame());
        vm.expectRevert(abi.encodeWithSelector(IPlasmaFramework.RootChain_BadExitGame.selector, other));
        new RootChain(operator, other, Modules.inFlight(1 weeks, 1 gwei));
    }

    function test_finding7_rootChainWithGame_succeeds() public {
        StandardExitGame game = new StandardExitGame(1 weeks, 500 gwei);
        RootChain rc = new RootChain(operator, address(game), Modules.inFlight(1 weeks, 500 gwei));
        assertEq(rc.STANDARD_EXIT_GAME(), address(game));
        assertEq(rc.DEPOSIT_FEE_UNIT(), rc.DEPOSIT_GAS() * 500 gwei);
        // silence the unused import
        assertTrue(address(ExitGameBase(address(game))) == address(game));
    }
}
