import { createRoot } from "react-dom/client";
import { App } from "./App";
import { registerServiceWorker } from "./register-sw";
import "./styles.css";

createRoot(document.getElementById("root")!).render(<App />);
registerServiceWorker();
