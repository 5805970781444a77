<%@ page contentType="text/html;charset=UTF-8" %>
<%@ taglib prefix="c" uri="http://java.sun.com/jsp/jstl/core" %>
<h2>Your customer's claims history</h2>
<p>Here you can see a customer's claims history for all policies, newest first.</p>
<table class="claims">
  <c:forEach items="${events}" var="e">
    <tr><td>${e.claimNo}</td><td>${e.openedOn}</td><td>${e.status}</td></tr>
  </c:forEach>
</table>
<a href="https://claimshistory.example-insurer.com/faq">Questions about claims history?</a>
