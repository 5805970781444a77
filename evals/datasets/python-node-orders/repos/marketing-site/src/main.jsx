import React from "react";
import ReactDOM from "react-dom/client";
import { BrowserRouter, Routes, Route, Link } from "react-router-dom";
import OrderHistoryPage from "./components/OrderHistoryPage.jsx";

function Home() {
  return (
    <main className="home">
      <h1>Everyday things, delivered tomorrow.</h1>
      <p>Free returns for 60 days. Sign in any time to track a parcel or view your order history.</p>
      <Link className="button" to="/account/orders">
        Your orders
      </Link>
    </main>
  );
}

ReactDOM.createRoot(document.getElementById("root")).render(
  <React.StrictMode>
    <BrowserRouter>
      <Routes>
        <Route path="/" element={<Home />} />
        <Route path="/account/orders" element={<OrderHistoryPage />} />
      </Routes>
    </BrowserRouter>
  </React.StrictMode>,
);
