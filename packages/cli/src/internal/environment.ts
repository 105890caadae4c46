/**
 * The services the program runs on, but for where its standard streams and console go (`main.ts`
 * gives it the process's).
 *
 * @internal
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as Layer from "effect/Layer"
import type * as Stdio from "../Stdio.js"
import * as StderrTerminal from "./terminal.js"

/** @internal */
export const programEnvironment = (stdio: Layer.Layer<Stdio.Stdio>, console: Layer.Layer<never>) =>
  Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, StderrTerminal.layer, stdio, console)
