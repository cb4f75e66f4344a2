# CPack: `cpack -G DEB` in a build tree produces forcescope_<version>_<arch>.deb.
install(FILES "${PROJECT_SOURCE_DIR}/packaging/forcescope.desktop" DESTINATION share/applications)
install(FILES "${PROJECT_SOURCE_DIR}/resources/icons/forcescope.svg"
  DESTINATION share/icons/hicolor/scalable/apps)

set(CPACK_PACKAGE_NAME "forcescope")
set(CPACK_PACKAGE_VENDOR "Forcescope")
set(CPACK_PACKAGE_CONTACT "Forcescope developers <dev@forcescope.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Native explorer for Salesforce orgs (SOQL, schema, bulk, events)")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_GENERATOR "DEB")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "devel")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# shlibdeps cannot see plugins Qt loads at run time: the SQLite driver (simulator store), the
# platform plugins (offscreen/xcb) and the Secret Service backend QtKeychain talks to over D-Bus.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-sqlite, qt6-qpa-plugins")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "gnome-keyring | kwalletmanager")
include(CPack)
