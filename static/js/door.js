// The door (templates/registration/check_in.html) works without this file. It adds:
// - the camera: "Scan a ticket with the camera" appears only where a camera can be
//   opened; what it reads goes into the ticket code box and is submitted with that
//   form, exactly as a typed code. The browser's BarcodeDetector reads the QR code where
//   it can; elsewhere the vendored jsQR does, loaded only when the camera is first used.
// - focus: govuk-frontend moves focus to a success banner (whose role="alert" already
//   announces it); after a check-in the volunteer's place is the card or box the
//   page's #fragment names, so focus goes back there.

const CARD_OR_BOX = ".civichack-door-card, input";
const SCAN_EVERY_MS = 150;
// Frames are scaled down to this many pixels on their long side before jsQR reads
// them: a ticket's code fills much of the frame, and smaller frames decode faster.
const DECODE_SIZE = 720;

function keepFocus() {
  if (document.querySelector(".govuk-error-summary")) {
    return; // govuk-frontend has focused it, which is where the volunteer must go.
  }
  let id = "";
  try {
    id = decodeURIComponent(window.location.hash.slice(1));
  } catch {
    return; // A fragment typed by hand that is not a card or the box: nothing to focus.
  }
  const target = id ? document.getElementById(id) : null;
  if (target && target.matches(CARD_OR_BOX)) {
    target.focus();
  } else if (!target) {
    document.querySelector("[autofocus]")?.focus();
  }
}

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.addEventListener("load", resolve);
    script.addEventListener("error", () => reject(new Error("the QR decoder did not load")));
    document.head.append(script);
  });
}

async function nativeReader() {
  if (!("BarcodeDetector" in window)) {
    return null;
  }
  try {
    const formats = await window.BarcodeDetector.getSupportedFormats();
    if (!formats.includes("qr_code")) {
      return null;
    }
    const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    return async (video) => (await detector.detect(video))[0]?.rawValue;
  } catch {
    return null;
  }
}

async function jsqrReader(decoderUrl) {
  if (!window.jsQR) {
    await loadScript(decoderUrl);
  }
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  return async (video) => {
    const { videoWidth: width, videoHeight: height } = video;
    if (!width || !height) {
      return null; // no frame yet
    }
    const scale = Math.min(1, DECODE_SIZE / Math.max(width, height));
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    const frame = context.getImageData(0, 0, canvas.width, canvas.height);
    return window.jsQR(frame.data, frame.width, frame.height)?.data;
  };
}

function cameraProblem(error) {
  if (error?.name === "NotAllowedError") {
    return "The camera is not allowed for this site.";
  }
  if (error?.name === "NotFoundError" || error?.name === "OverconstrainedError") {
    return "No camera was found.";
  }
  return `The camera could not be used (${error?.message || error}).`;
}

function setUpCamera() {
  const form = document.querySelector("[data-door-code-form]");
  const scanner = document.querySelector("[data-door-scanner]");
  if (!form || !scanner || !navigator.mediaDevices?.getUserMedia) {
    return; // no camera API (or not a secure page): the typed code is the way in
  }
  const startButton = form.querySelector("[data-door-scan]");
  const stopButton = scanner.querySelector("[data-door-scan-stop]");
  const video = scanner.querySelector("video");
  const status = document.querySelector("[data-door-scan-status]");
  const input = form.elements.token;
  let stream = null;
  let read = null;
  let timer = null;

  function stop() {
    clearTimeout(timer);
    stream?.getTracks().forEach((track) => track.stop());
    stream = null;
    video.srcObject = null;
    scanner.hidden = true;
    startButton.hidden = false;
  }

  async function scan() {
    let code = null;
    try {
      code = await read(video);
    } catch {
      code = null; // a frame that could not be read; try the next one
    }
    if (!stream) {
      return; // stopped meanwhile
    }
    if (code) {
      stop();
      input.value = code.trim();
      status.textContent = `Read ${input.value}. Checking in…`;
      form.requestSubmit();
      return;
    }
    timer = setTimeout(scan, SCAN_EVERY_MS);
  }

  async function start() {
    startButton.disabled = true;
    status.textContent = "Opening the camera…";
    try {
      read = read || (await nativeReader()) || (await jsqrReader(scanner.dataset.decoder));
      stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: "environment" },
        audio: false,
      });
      video.srcObject = stream;
      scanner.hidden = false;
      startButton.hidden = true;
      await video.play();
    } catch (error) {
      stop();
      status.textContent = `${cameraProblem(error)} Type the ticket code instead.`;
      input.focus();
      return;
    } finally {
      startButton.disabled = false;
    }
    status.textContent = "Hold the ticket's QR code in front of the camera.";
    stopButton.focus();
    scan();
  }

  startButton.addEventListener("click", start);
  stopButton.addEventListener("click", () => {
    stop();
    status.textContent = "Camera stopped.";
    startButton.focus();
  });
  window.addEventListener("pagehide", stop);
  startButton.hidden = false;
}

keepFocus();
setUpCamera();
