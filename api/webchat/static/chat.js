// Careline web chat: sends messages to POST /chat/messages and shows the replies.
(function () {
  "use strict";
  var log = document.getElementById("log");
  var form = document.getElementById("composer");
  var box = document.getElementById("message");
  var send = document.getElementById("send");
  var status = document.getElementById("status");
  var errorBox = document.getElementById("error");
  var maxChars = parseInt(document.querySelector(".chat").dataset.maxChars, 10);
  var busy = false;
  var lastId = 0;  // the newest message shown, so polling shows each message once
  var shown = {};
  var started = false;  // poll only once this chat has sent something
  var POLL_MS = 4000;

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // Only a random id is kept on the device, never what was said.
  var conversationId = sessionStorage.getItem("careline-conversation");
  if (!conversationId) {
    conversationId = newId();
    sessionStorage.setItem("careline-conversation", conversationId);
  }

  var NAMES = { me: "You", staff: "Duty social worker", system: "Careline" };

  function addMessage(who, text, buttons) {
    var item = document.createElement("li");
    item.className = "msg " + (who === "me" ? "me" : who === "staff" ? "staff" : "bot");
    var name = document.createElement("span");
    name.className = "who";
    name.textContent = NAMES[who] || "Careline bot";
    var body = document.createElement("p");
    body.textContent = text;
    item.appendChild(name);
    item.appendChild(body);
    if (buttons && buttons.length) {
      var row = document.createElement("div");
      row.className = "quick-replies";
      buttons.forEach(function (b) {
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = b.title;
        button.addEventListener("click", function () { submit(b.title, b.payload, false); });
        row.appendChild(button);
      });
      item.appendChild(row);
    }
    log.appendChild(item);
    item.scrollIntoView({ block: "end" });
  }

  function showError(text) {
    errorBox.textContent = text;
    errorBox.hidden = false;
  }

  function clearError() {
    errorBox.hidden = true;
    errorBox.textContent = "";
  }

  function problemWith(text) {
    if (!text) return "Your message is empty. Type something, then press Send.";
    if (text.length > maxChars) {
      return "That message is too long (the limit is " + maxChars.toLocaleString("en-GB") +
        " characters). Could you send it in smaller parts?";
    }
    return "";
  }

  // Send a message; `fromBox` says it came from the text box, which is refilled if sending fails.
  function submit(shown, text, fromBox) {
    if (busy) return;
    clearError();
    var problem = problemWith(text);
    if (problem) {
      showError(problem);
      box.focus();
      return;
    }
    if (fromBox) box.value = "";
    busy = true;
    send.disabled = true;
    addMessage("me", shown);
    status.textContent = "Careline bot is typing…";
    fetch("/chat/messages", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ conversation_id: conversationId, text: text })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          var message = data && data.error && data.error.message;
          throw new Error(message || "Something went wrong sending that. Please try again.");
        }
        started = true;
        (data.replies || []).forEach(function (r) { showReply(r, false); });
      });
    }).catch(function (err) {
      if (fromBox && !box.value) box.value = text;
      showError(err instanceof TypeError ?
        "Your message didn't send. Check your signal and try again. In danger now? Call 999." :
        err.message);
    }).then(function () {
      busy = false;
      send.disabled = false;
      status.textContent = "";
      box.focus();
      poll();
    });
  }

  // Only polling moves lastId on, so a worker's message stored before a bot reply is never skipped.
  function showReply(r, fromPoll) {
    if (r.id && fromPoll) lastId = Math.max(lastId, r.id);
    if (r.id) {
      if (shown[r.id]) return;
      shown[r.id] = true;
    }
    addMessage(r.author === "staff" || r.author === "system" ? r.author : "bot", r.text, r.buttons);
  }

  // A duty worker's replies arrive without the young person sending anything: look every few seconds.
  function poll() {
    if (!started || busy || document.hidden) return;
    fetch("/chat/messages?conversation_id=" + encodeURIComponent(conversationId) + "&after=" + lastId)
      .then(function (response) { return response.ok ? response.json() : { messages: [] }; })
      .then(function (data) {
        if (busy) return;
        (data.messages || []).forEach(function (r) { showReply(r, true); });
      })
      .catch(function () { /* offline for a moment: the next poll tries again */ });
  }
  setInterval(poll, POLL_MS);

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = box.value.trim();
    submit(text, text, true);
  });

  box.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  // Quick exit: wipe this tab's trace and leave, so nobody looking over a shoulder sees the chat.
  document.getElementById("quick-exit").addEventListener("click", function (event) {
    event.preventDefault();
    sessionStorage.clear();
    window.location.replace(this.href);
  });
})();
