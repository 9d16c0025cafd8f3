// Starts Swagger UI from the self-hosted bundle (the CSP forbids inline scripts and CDNs).
(function () {
  var element = document.getElementById("swagger-ui");
  if (!element || typeof window.SwaggerUIBundle !== "function") return;
  window.SwaggerUIBundle({ url: element.dataset.specUrl, dom_id: "#swagger-ui", deepLinking: true });
})();
