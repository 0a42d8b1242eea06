// 到场与上报：提交前读取手机定位（navigator.geolocation）和设备时间，填入表单；定位失败时照常提交，由服务端校验。
(function () {
  "use strict";
  function field(form, suffix) { return form.querySelector("[name$='" + suffix + "']"); }
  document.querySelectorAll("form.grid-step").forEach(function (form) {
    var step = form.getAttribute("data-step");
    if (step !== "arrive" && step !== "report") { return; }
    var status = form.querySelector(".locate-status");
    var located = false;
    form.addEventListener("submit", function (event) {
      var time = field(form, "device_time");
      if (time) { time.value = new Date().toISOString(); }  // 带时区（UTC），与手机所在时区无关
      var lat = field(form, "latitude"), lng = field(form, "longitude");
      if (located || !navigator.geolocation || !lat || !lng || (lat.value && lng.value)) { return; }
      event.preventDefault();
      if (status) { status.textContent = "正在定位…"; }
      navigator.geolocation.getCurrentPosition(function (pos) {
        lat.value = pos.coords.latitude.toFixed(6);
        lng.value = pos.coords.longitude.toFixed(6);
        located = true;
        form.requestSubmit ? form.requestSubmit() : form.submit();
      }, function () {
        if (status) { status.textContent = "无法读取定位，请手动填写经纬度。"; }
        located = true;
      }, { enableHighAccuracy: true, timeout: 8000 });
    });
  });
})();
