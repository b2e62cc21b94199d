# The fault profiler's heatmaps (dtl/pf_heatmap.h): the layout shared by the
# PNG (libpng, with a built-in bitmap font) and the terminal renderers.
# Front-end code only. Included from pf/CMakeLists.txt.
add_library(dtl_pf_render STATIC
	${CMAKE_CURRENT_LIST_DIR}/heatmap_layout.c
	${CMAKE_CURRENT_LIST_DIR}/heatmap_scale.c
	${CMAKE_CURRENT_LIST_DIR}/heatmap_png.c
	${CMAKE_CURRENT_LIST_DIR}/heatmap_canvas.c
	${CMAKE_CURRENT_LIST_DIR}/heatmap_font.c
	${CMAKE_CURRENT_LIST_DIR}/heatmap_text.c)
target_include_directories(dtl_pf_render PUBLIC ${CMAKE_CURRENT_LIST_DIR}/include)
target_link_libraries(dtl_pf_render PRIVATE PkgConfig::LIBPNG m)
dtl_host_code(dtl_pf_render)
