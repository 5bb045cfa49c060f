// A schematic outline of Heilongjiang Province for the offline map (decision 0902): hand-traced
// from public knowledge of the borders (Amur, Ussuri, Jilin and Inner Mongolia lines), about 60
// vertices. It only frames the hall markers; it is not a surveyed boundary and must not be
// published as a map. A deployment with the third-party map service replaces it.
(function () {
  "use strict";
  if (typeof echarts === "undefined") return;
  var ring = [
    [121.18, 53.28], [122.35, 53.5], [123.6, 53.55], [124.9, 53.15], [125.6, 52.9], [126.1, 52.75],
    [126.6, 51.9], [126.9, 51.3], [127.3, 50.75], [127.6, 50.25], [128.6, 49.6], [129.5, 49.4],
    [130.25, 48.9], [130.7, 48.5], [130.8, 47.95], [131.6, 47.7], [132.55, 47.75], [133.4, 48.15],
    [134.3, 48.4], [134.75, 48.25], [134.6, 47.65], [134.15, 47.25], [133.9, 46.6], [133.7, 46.1],
    [133.45, 45.6], [133.1, 45.1], [132.0, 45.25], [131.85, 44.95], [131.1, 44.9], [131.3, 44.05],
    [130.95, 43.45], [130.3, 44.0], [129.6, 43.9], [128.9, 43.95], [128.3, 44.3], [127.6, 44.55],
    [126.9, 44.75], [126.4, 45.15], [125.7, 45.35], [124.9, 45.5], [124.3, 45.7], [123.8, 46.1],
    [123.5, 46.6], [123.1, 47.1], [123.3, 47.6], [123.9, 48.1], [124.3, 48.6], [125.2, 49.1],
    [125.6, 49.9], [124.8, 50.2], [123.7, 50.3], [123.1, 50.8], [122.4, 51.3], [121.6, 51.8],
    [121.8, 52.4], [121.2, 52.8], [121.18, 53.28]
  ];
  echarts.registerMap("heilongjiang", {
    type: "FeatureCollection",
    features: [{type: "Feature", properties: {name: "黑龙江省"}, geometry: {type: "Polygon", coordinates: [ring]}}]
  });
})();
