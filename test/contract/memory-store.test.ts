import { MemoryStore } from "../../src/adapters/memory/memory-store.js";
import { storeContract } from "./store.contract.js";

storeContract("MemoryStore", () => new MemoryStore());
