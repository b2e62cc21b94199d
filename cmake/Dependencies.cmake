# Find the libraries dtrace-lite builds against. A missing one stops the
# configure step and names the Debian package that provides it
# (scripts/deps.sh installs them all).
find_package(PkgConfig)
if(NOT PKG_CONFIG_FOUND)
	message(FATAL_ERROR "pkg-config not found: apt-get install pkg-config (or run scripts/deps.sh)")
endif()

function(dtl_require_pkgconfig prefix module debian_pkg)
	pkg_check_modules(${prefix} IMPORTED_TARGET GLOBAL ${module})
	if(NOT ${prefix}_FOUND)
		message(FATAL_ERROR "${module} not found: apt-get install ${debian_pkg} (or run scripts/deps.sh)")
	endif()
endfunction()

dtl_require_pkgconfig(CAPSTONE capstone libcapstone-dev)
dtl_require_pkgconfig(LIBELF libelf libelf-dev)
dtl_require_pkgconfig(LIBDW libdw libdw-dev)
dtl_require_pkgconfig(NCURSES ncursesw libncurses-dev)
dtl_require_pkgconfig(CMOCKA cmocka libcmocka-dev)
dtl_require_pkgconfig(LIBPNG libpng libpng-dev)

# Debian's libdwarf-dev ships no pkg-config file.
find_path(LIBDWARF_INCLUDE_DIR libdwarf.h PATH_SUFFIXES libdwarf libdwarf-0)
find_library(LIBDWARF_LIBRARY NAMES dwarf)
if(NOT LIBDWARF_INCLUDE_DIR OR NOT LIBDWARF_LIBRARY)
	message(FATAL_ERROR "libdwarf not found: apt-get install libdwarf-dev (or run scripts/deps.sh)")
endif()
add_library(dtl::dwarf UNKNOWN IMPORTED GLOBAL)
set_target_properties(dtl::dwarf PROPERTIES
	IMPORTED_LOCATION "${LIBDWARF_LIBRARY}"
	INTERFACE_INCLUDE_DIRECTORIES "${LIBDWARF_INCLUDE_DIR}"
	INTERFACE_LINK_LIBRARIES PkgConfig::LIBELF)

# Kernel headers for kmod/ (the Dune module is built against them).
set(DTL_KERNEL_HEADERS "" CACHE PATH "kernel build tree for kmod/ (default: newest /usr/src/linux-headers-*-amd64)")
if(NOT DTL_KERNEL_HEADERS)
	file(GLOB _kh LIST_DIRECTORIES true /usr/src/linux-headers-*-amd64)
	list(SORT _kh COMPARE NATURAL ORDER DESCENDING)
	list(GET _kh 0 _kh_first)
	if(_kh_first)
		set(DTL_KERNEL_HEADERS "${_kh_first}" CACHE PATH "" FORCE)
	endif()
endif()
if(NOT EXISTS "${DTL_KERNEL_HEADERS}/Makefile")
	message(FATAL_ERROR "Linux kernel headers not found: apt-get install linux-headers-amd64 (or run scripts/deps.sh)")
endif()
