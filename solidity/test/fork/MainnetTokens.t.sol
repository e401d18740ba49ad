// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test, console2} from "forge-std/Test.sol";

import {RootChain} from "../../src/RootChain.sol";
import {StandardExitGame} from "../../src/exits/StandardExitGame.sol";
import {IRootChain} from "../../src/interfaces/IRootChain.sol";
import {TxBuilder} from "../shared/TxBuilder.sol";
import {Modules} from "../shared/Modules.sol";

/// @notice USDT's approve returns nothing, so it is called through this interface.
interface IUsdtLike {
    function approve(address spender, uint256 amount) external;
    function balanceOf(address owner) external view returns (uint256);
    function decimals() external view returns (uint8);
}

/// @title MainnetTokensForkTest
/// @notice Deploys RootChain onto a fork of Ethereum mainnet (or of the local mainnet
///         stand-in, see `plasma fork-test`) and deposits and exits USDC and USDT dealt to
///         test users. Run with `--fork-url`; without a fork it fails, never skips.
contract MainnetTokensForkTest is Test {
    address internal constant USDC = 0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48;
    address internal constant USDT = 0xdAC17F958D2ee523a2206206994597C13D831ec7;
    uint256 internal constant MIN_EXIT_PERIOD = 1 days;
    /// @notice Bonds repay gas at 500 gwei: EXIT_BOND 0.1 ether, PROCESS_BOUNTY 0.03 ether.
    uint256 internal constant BOND_GAS_PRICE = 500 gwei;
    uint256 internal constant EXIT_BOND = 0.1 ether;
    uint256 internal constant PROCESS_BOUNTY = 0.03 ether;

    IRootChain internal rootChain;
    address internal operator;
    address internal alice;
    address internal processor;

    function setUp() public {
        string memory upstream = vm.envOr("PLASMA_FORK_UPSTREAM", string("unknown (not started by plasma fork-test)"));
        console2.log("fork upstream:", upstream);
        require(block.chainid == 1, "fork tests need --fork-url of mainnet or the stand-in (run `plasma fork-test`)");
        require(USDC.code.length > 0 && USDT.code.length > 0, "no USDC/USDT code at their mainnet addresses");
        assertEq(IUsdtLike(USDC).decimals(), 6, "USDC decimals");
        assertEq(IUsdtLike(USDT).decimals(), 6, "USDT decimals");
        operator = makeAddr("operator");
        alice = makeAddr("alice");
        processor = makeAddr("processor");
        StandardExitGame game = new StandardExitGame(MIN_EXIT_PERIOD, BOND_GAS_PRICE);
        rootChain = IRootChain(
            address(new RootChain(operator, address(game), Modules.inFlight(MIN_EXIT_PERIOD, BOND_GAS_PRICE)))
        );
        assertEq(rootChain.EXIT_BOND(), EXIT_BOND, "exit bond");
        assertEq(rootChain.PROCESS_BOUNTY(), PROCESS_BOUNTY, "process bounty");
        vm.deal(alice, 1 ether);
    }

    function test_depositAndExit_usdc_succeeds() public {
        _depositAndExit(USDC, 2_500e6);
    }

    function test_depositAndExit_usdt_succeeds() public {
        _depositAndExit(USDT, 1_234_567_890);
    }

    /// @dev Deals `amount` to alice, deposits it, exits the deposit output, processes it
    ///      and checks every balance to the unit.
    function _depositAndExit(address token, uint256 amount) internal {
        deal(token, alice, amount);
        uint256 poolBefore = IUsdtLike(token).balanceOf(address(rootChain));

        uint256 blknum = rootChain.nextDepositBlock();
        vm.startPrank(alice);
        IUsdtLike(token).approve(address(rootChain), amount);
        rootChain.depositToken(alice, token, amount);
        vm.stopPrank();
        assertEq(IUsdtLike(token).balanceOf(alice), 0, "alice paid in");
        assertEq(IUsdtLike(token).balanceOf(address(rootChain)), poolBefore + amount, "root chain holds it");

        bytes memory txBytes = TxBuilder.deposit(blknum, alice, token, amount);
        (, bytes memory proof) = TxBuilder.single(txBytes);
        uint64 pos = TxBuilder.position(blknum, 0, 0);
        vm.prank(alice);
        rootChain.startStandardExit{value: EXIT_BOND}(pos, txBytes, proof, block.timestamp);

        vm.warp(block.timestamp + MIN_EXIT_PERIOD + 1);
        vm.prank(processor);
        assertEq(rootChain.processExits(token, 1), 1, "one exit processed");

        assertEq(IUsdtLike(token).balanceOf(alice), amount, "alice got every unit back");
        assertEq(IUsdtLike(token).balanceOf(address(rootChain)), poolBefore, "root chain paid out");
        assertEq(alice.balance, 1 ether - PROCESS_BOUNTY, "bond back minus the bounty");
        assertEq(processor.balance, PROCESS_BOUNTY, "bounty to the processor");
        assertEq(rootChain.withdrawable(alice, token), 0, "nothing deferred");
    }
}
